export const errorTemplate = `<h1>{{heading}}</h1>
<p class="error" role="alert">{{message}}</p>
{{#if code}}<p>Error code: <code>{{code}}</code></p>{{/if}}
<p>You can close this page and return to the application you came from.</p>
`;
