export const accountTemplate = `<h1>Your account</h1>
<p>Signed in as <strong>{{ownerName}}</strong>.</p>
{{#if notice}}<p class="warning" role="status">{{notice}}</p>{{/if}}
<h2>Applications with access</h2>
{{#if grants.length}}
<table>
<thead><tr><th scope="col">Application</th><th scope="col">Access</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
{{#each grants}}
<tr>
  <td>{{clientName}}<br><small>since {{createdAt}}</small></td>
  <td>{{#each scopes}}<code>{{this}}</code> {{/each}}</td>
  <td>
    <form method="post" action="/account/grants/{{id}}/revoke">
      <input type="hidden" name="csrf" value="{{../csrf}}">
      <button type="submit" class="secondary">Revoke</button>
    </form>
  </td>
</tr>
{{/each}}
</tbody>
</table>
{{else}}<p>No application has access to your account.</p>{{/if}}
<h2>Session</h2>
<form method="post" action="/account/sign-out">
  <input type="hidden" name="csrf" value="{{csrf}}">
  <button type="submit" class="secondary">Sign out</button>
</form>
`;
