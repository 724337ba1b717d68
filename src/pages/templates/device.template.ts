/** RFC 8628 §3.3 verification pages: enter the code, sign in, allow or deny, done. */
export const deviceEntryTemplate = `<h1>Connect a device</h1>
<p>Enter the code shown on your device.</p>
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/device" autocomplete="off">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <label for="user_code">Code</label>
  <input type="text" id="user_code" name="user_code" value="{{userCode}}" placeholder="XXXX-XXXX" autocapitalize="characters" spellcheck="false" maxlength="20" required autofocus>
  <div class="actions"><button type="submit">Continue</button></div>
</form>
`;

export const deviceLoginTemplate = `<h1>Sign in</h1>
<p>to connect <strong>{{clientName}}</strong></p>
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/device/login" autocomplete="on">
  <input type="hidden" name="v" value="{{v}}">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <label for="username">Username</label>
  <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="100" required autofocus>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>
  <div class="actions"><button type="submit">Sign in</button></div>
</form>
`;

export const deviceConfirmTemplate = `<h1>Allow this device?</h1>
<p><strong>{{clientName}}</strong> on a device wants to access your account.</p>
<p class="warning" role="note">Only continue if you started this on your own device and it shows the code <code>{{userCode}}</code>.</p>
{{#if scopes.length}}
<p>It asks to:</p>
<ul class="scopes">
{{#each scopes}}<li><strong>{{description}}</strong> <code>{{name}}</code></li>{{/each}}
</ul>
{{else}}<p>It asks for no specific permission.</p>{{/if}}
{{#if resources.length}}
<p>for these services:</p>
<ul>{{#each resources}}<li><code>{{this}}</code></li>{{/each}}</ul>
{{/if}}
<form method="post" action="/device/confirm">
  <input type="hidden" name="v" value="{{v}}">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <div class="actions">
    <button type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
  </div>
</form>
`;

export const deviceDoneTemplate = `<h1>{{heading}}</h1>
<p role="status">{{message}}</p>
<p>You can close this page.</p>
`;
