// domain: text placed in server-rendered HTML (the survey and re-survey pages, the e-mail snippet), escaped for both
// element content and quoted attribute values.
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
