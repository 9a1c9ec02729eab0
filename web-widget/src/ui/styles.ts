// widget ui: the Shadow DOM's stylesheet and the default theme. A site themes the widget with CSS custom properties
// (they inherit into the shadow tree); nothing else from the page reaches it, and nothing here reaches the page.
// `:host` declarations are !important because, against the page's rules on the host element (`* { all: unset }`),
// only important declarations from inside the shadow tree win.
// The comment box is 16 px on touch and narrow screens: iOS Safari zooms the page into any field under 16 px on focus.

/** the default theme: every pair used for text meets WCAG AA (4.5:1), borders and focus rings 3:1 (tested) */
export const THEME = {
  bg: '#ffffff',
  fg: '#1a1a1a',
  muted: '#595959',
  accent: '#0b57d0',
  onAccent: '#ffffff',
  border: '#767676',
  error: '#b3261e',
};

const v = (name: string, fallback: string) => `var(--fbw-${name},${fallback})`;
const accent = v('accent', THEME.accent);
const border = v('border', THEME.border);
const radius = v('radius', '8px');

export const STYLE = `:host{all:initial!important;display:block!important;position:fixed!important;z-index:${v('z-index', '2147483000')}!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.p{position:fixed;inset:${v('inset', 'auto 16px 16px auto')};width:min(${v('width', '360px')},calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;padding:16px;background:${v('bg', THEME.bg)};color:${v('fg', THEME.fg)};font:14px/1.45 ${v('font', 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif')};border:1px solid ${border};border-radius:${radius};box-shadow:0 6px 24px #0003;text-align:start;animation:fbw-in .2s ease-out}
.p[dir=rtl]{inset:${v('inset-rtl', 'auto auto 16px 16px')}}
@keyframes fbw-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.p{animation:none}}
h2{margin:0;margin-inline-end:36px;font-size:16px;font-weight:600}
.x{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;padding:0;border:0;border-radius:50%;background:none;color:inherit;font-size:20px;line-height:1;cursor:pointer}
.g{height:4px;margin:10px 0 4px;background:${v('track', '#e3e3e3')};border-radius:2px}
.g i{display:block;height:100%;background:${accent};border-radius:2px}
.n,.e{font-size:12px;color:${v('muted', THEME.muted)}}
.n{margin:0}
.q{display:block;margin:12px 0 6px;font-weight:600}
.s{display:flex;gap:4px}
.s label{position:relative;flex:1;min-width:0}
.s input{position:absolute;width:1px;height:1px;margin:0;opacity:0}
.s span{display:block;padding:7px 0;text-align:center;border:1px solid ${border};border-radius:calc(${radius} / 2);cursor:pointer}
.s input:checked+span{background:${accent};border-color:${accent};color:${v('on-accent', THEME.onAccent)}}
.s input:focus-visible+span,:focus-visible{outline:2px solid ${accent};outline-offset:2px}
.e{display:flex;justify-content:space-between;gap:8px;margin-top:4px}
textarea{display:block;width:100%;min-height:76px;padding:8px;font:inherit;color:inherit;background:inherit;border:1px solid ${border};border-radius:calc(${radius} / 2);resize:vertical}
@media (pointer:coarse),(max-width:480px){textarea{font-size:16px}}
.r{margin:8px 0 0;color:${v('error', THEME.error)}}
.r:empty{display:none}
.f{display:flex;justify-content:flex-end;gap:8px;margin-top:14px}
.f button{padding:8px 16px;font:inherit;font-weight:600;color:${v('on-accent', THEME.onAccent)};background:${accent};border:1px solid ${accent};border-radius:calc(${radius} / 2);cursor:pointer}
.f .b{color:${accent};background:none}
.t{margin:8px 0 4px}
.h{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}`;
