// Scopes a stylesheet to one root class, so the embedded form's styles never reach the host
// page: `:root`/`html` become the root itself, `*` and every other selector are prefixed
// with it, `body` rules are dropped; @media/@supports blocks are scoped inside, @keyframes
// and @font-face are kept as they are. Enough for our own static/app.css (no nested CSS).
export function scopeCss(css, scope) {
  const src = css.replace(/\/\*[\s\S]*?\*\//g, '');
  let out = '';
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{', i);
    if (open < 0) break;
    const prelude = src.slice(i, open).trim();
    // Find the matching close brace.
    let depth = 1;
    let j = open + 1;
    while (j < src.length && depth > 0) {
      if (src[j] === '{') depth += 1;
      else if (src[j] === '}') depth -= 1;
      j += 1;
    }
    const body = src.slice(open + 1, j - 1);
    if (/^@(media|supports)/.test(prelude)) {
      out += `${prelude} {\n${scopeCss(body, scope)}}\n`;
    } else if (prelude.startsWith('@')) {
      out += `${prelude} {${body}}\n`;
    } else {
      const selectors = prelude
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== 'body')
        .flatMap((s) => {
          if (s === ':root' || s === 'html') return [scope];
          if (s === '*') return [scope, `${scope} *`];
          return [`${scope} ${s}`];
        });
      if (selectors.length > 0) out += `${selectors.join(', ')} {${body}}\n`;
    }
    i = j;
  }
  return out;
}
