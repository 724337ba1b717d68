export const loginTemplate = `<h1>Sign in</h1>
{{#if clientName}}<p>to continue to <strong>{{clientName}}</strong></p>{{/if}}
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/login" autocomplete="on">
  <input type="hidden" name="req" value="{{req}}">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <label for="username">Username</label>
  <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="100" required autofocus>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>
  <div class="actions"><button type="submit">Sign in</button></div>
</form>
`;
