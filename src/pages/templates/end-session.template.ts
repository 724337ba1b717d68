export const endSessionTemplate = `{{#if confirm}}<h1>Sign out?</h1>
{{#if clientName}}<p><strong>{{clientName}}</strong> asks to sign you out.</p>{{/if}}
<p>Do you want to sign out of this server?</p>
<form method="post" action="/end-session/confirm">
  <input type="hidden" name="req" value="{{req}}">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <div class="actions">
    <button type="submit" name="decision" value="yes">Sign out</button>
    <button type="submit" name="decision" value="no" class="secondary">Stay signed in</button>
  </div>
</form>
{{else}}<h1>{{heading}}</h1>
<p role="status">{{message}}</p>
<p>You can close this page.</p>{{/if}}
`;
