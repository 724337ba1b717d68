/** The page frame: no scripts, no third-party resources, inline styles only (CSP style-src). */
export const layoutTemplate = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}} · {{brand.name}}</title>
<style>
  :root { --accent: {{brand.color}}; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f5f7; color: #1d1f23; }
  main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: .75rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  @media (max-width: 32rem) { main { margin: 0; border-radius: 0; min-height: 100vh; } }
  header { display: flex; align-items: center; gap: .75rem; margin-bottom: 1.5rem; }
  header img { max-height: 2.5rem; max-width: 8rem; }
  header span { font-weight: 600; font-size: 1.1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input[type=text], input[type=password] { width: 100%; padding: .6rem; margin-top: .3rem; border: 1px solid #8a8f98; border-radius: .4rem; font-size: 1rem; }
  input:focus, button:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
  button { margin-top: 1.5rem; padding: .65rem 1.2rem; font-size: 1rem; border-radius: .4rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: var(--accent); }
  .actions { display: flex; gap: .75rem; flex-wrap: wrap; }
  .error { background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; padding: .75rem; border-radius: .4rem; }
  .warning { background: #fff6e0; color: #6b4a00; border: 1px solid #f0d690; padding: .75rem; border-radius: .4rem; }
  ul.scopes li { margin: .35rem 0; }
  code { font-family: ui-monospace, monospace; background: #f0f1f3; padding: 0 .25rem; border-radius: .2rem; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
</style>
</head>
<body>
<main>
<header>{{#if brand.logoUrl}}<img src="{{brand.logoUrl}}" alt="">{{/if}}<span>{{brand.name}}</span></header>
{{{body}}}
</main>
</body>
</html>
`;
