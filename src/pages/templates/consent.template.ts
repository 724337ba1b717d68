export const consentTemplate = `<h1>Allow access?</h1>
{{#if documentHost}}
<p class="client-identity"><strong>{{documentHost}}</strong></p>
<p>An application published by <strong>{{documentHost}}</strong>, calling itself “{{clientName}}”, wants to access your account.</p>
<p class="warning" role="note">This application is <strong>not verified</strong> by the operator of this server: it describes itself in a document at {{documentHost}}. Only continue if you trust {{documentHost}}.</p>
{{else if unverified}}
<p>The application at <strong>{{redirectHost}}</strong> wants to access your account.</p>
<p class="warning" role="note"><strong>Unverified application.</strong> It registered itself and was not reviewed by the operator of this service. It calls itself <q>{{clientName}}</q>, but anyone can pick that name: trust it only if you know <code>{{redirectHost}}</code>.</p>
{{else}}
<p><strong>{{clientName}}</strong> wants to access your account.</p>
{{/if}}
<p>After you decide, you will be sent to <strong>{{redirectHost}}</strong>.</p>
{{#if loopbackOnly}}<p class="warning" role="note">This application runs on your own device (it redirects to <code>{{redirectHost}}</code>). Any program can claim to be it: only continue if you just started it yourself.</p>{{/if}}
{{#if scopes.length}}
<p>{{#if alreadyAllowed.length}}In addition to what you already allowed, it{{else}}It{{/if}} asks to:</p>
<ul class="scopes">
{{#each scopes}}<li><strong>{{description}}</strong> <code>{{name}}</code></li>{{/each}}
</ul>
{{else}}<p>It asks for no specific permission.</p>{{/if}}
{{#if alreadyAllowed.length}}
<p class="already">Already allowed: {{#each alreadyAllowed}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.</p>
{{/if}}
{{#if resources.length}}
<p>for these services:</p>
<ul>{{#each resources}}<li><strong>{{name}}</strong> <code>{{identifier}}</code></li>{{/each}}</ul>
{{/if}}
<p>You can withdraw this access at any time from your account page.</p>
<form method="post" action="/consent">
  <input type="hidden" name="req" value="{{req}}">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <div class="actions">
    <button type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
  </div>
</form>
`;
