// The sign-in page (pure): a server-rendered form that posts to /login. No
// script at all, so the dashboard's Content-Security-Policy (script-src
// 'self', form-action 'self') holds for it unchanged; its few styles are
// inline, which that policy allows (style-src 'unsafe-inline'). Text in
// zh-CN or English, from ?lang= or the browser's Accept-Language.

export type LoginLocale = 'zh-CN' | 'en';

export type LoginNotice = 'invalid' | 'rate_limited' | 'signed_out' | 'expired' | 'unavailable';

const TEXT = {
  en: {
    title: 'Sign in · Gridlens',
    heading: 'Sign in to Gridlens',
    user: 'User name',
    password: 'Password',
    submit: 'Sign in',
    invalid: 'The user name or password is wrong.',
    rate_limited: 'Too many failed attempts. Try again in {minutes} min.',
    signed_out: 'You have signed out.',
    expired: 'Your session has ended. Please sign in again.',
    unavailable: 'Sign-in is unavailable: the users file is invalid. Ask the administrator to check the server log.',
    help: 'No account? Ask your Gridlens administrator.',
  },
  'zh-CN': {
    title: '登录 · Gridlens',
    heading: '登录 Gridlens',
    user: '用户名',
    password: '密码',
    submit: '登录',
    invalid: '用户名或密码错误。',
    rate_limited: '失败次数过多，请 {minutes} 分钟后再试。',
    signed_out: '您已退出登录。',
    expired: '会话已结束，请重新登录。',
    unavailable: '暂时无法登录：用户文件无效。请联系管理员查看服务器日志。',
    help: '没有账号？请联系 Gridlens 管理员。',
  },
} as const;

/** ?lang= when it names a locale we have, else the highest-q language of Accept-Language we have (zh* or en*), else English. */
export function loginLocale(acceptLanguage: string | undefined, lang?: string | null): LoginLocale {
  if (lang === 'zh-CN' || lang === 'en') return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const l of ranked) {
    if (l.tag.startsWith('zh')) return 'zh-CN';
    if (l.tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * Where to go after signing in: a path on this server only (starts with one
 * '/', no backslash, no scheme), never the sign-in page itself; else '/'.
 * Keeps an attacker's link from sending the user to another site.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) return '/';
  if (next === '/login' || next.startsWith('/login?') || next === '/logout') return '/';
  return next;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderLoginPage(o: { locale: LoginLocale; next: string; user?: string; notice?: LoginNotice; retryAfterSeconds?: number }): string {
  const t = TEXT[o.locale];
  let notice = '';
  if (o.notice) {
    const text = t[o.notice].replace('{minutes}', String(Math.max(1, Math.ceil((o.retryAfterSeconds ?? 60) / 60))));
    const error = o.notice === 'invalid' || o.notice === 'rate_limited' || o.notice === 'unavailable';
    notice = `<p class="${error ? 'error' : 'info'}" role="${error ? 'alert' : 'status'}" data-notice="${o.notice}">${escapeHtml(text)}</p>`;
  }
  return `<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>
body { margin: 0; min-height: 100vh; display: grid; place-items: center; font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f6f8; color: #1d2733; }
main { width: min(22rem, 92vw); background: #fff; border: 1px solid #d9dee4; border-radius: 10px; padding: 1.5rem 1.75rem; }
h1 { font-size: 1.2rem; margin: 0 0 1rem; }
label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
input { box-sizing: border-box; width: 100%; padding: 0.5rem 0.6rem; font: inherit; border: 1px solid #b8c1cc; border-radius: 6px; }
button { margin-top: 1.25rem; width: 100%; padding: 0.55rem; font: inherit; font-weight: 600; color: #fff; background: #1f6feb; border: 0; border-radius: 6px; cursor: pointer; }
.error { background: #fdecea; color: #8a1c12; padding: 0.5rem 0.75rem; border-radius: 6px; }
.info { background: #e8f1fd; color: #174a8b; padding: 0.5rem 0.75rem; border-radius: 6px; }
.help { color: #5b6673; font-size: 0.85rem; margin: 1rem 0 0; }
@media (prefers-color-scheme: dark) {
  body { background: #12161b; color: #e3e8ee; } main { background: #1b2129; border-color: #2c3440; }
  input { background: #12161b; color: inherit; border-color: #3a4452; } .help { color: #9aa5b1; }
}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(t.heading)}</h1>
${notice}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(o.next)}">
<input type="hidden" name="lang" value="${o.locale}">
<label for="user">${escapeHtml(t.user)}</label>
<input id="user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(o.user ?? '')}"${o.user ? '' : ' autofocus'}>
<label for="password">${escapeHtml(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${o.user ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
<p class="help">${escapeHtml(t.help)}</p>
</main>
</body>
</html>
`;
}
