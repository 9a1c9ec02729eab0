// domain: the deep link to one follow-up task in the CX console (#/followups/{taskId}?survey=…), which notifications
// carry. Built only from the console's configured public URL (CONSOLE_URL), never from a request: no URL, no link.

/** `consoleUrl` is the console's page (https://<console>/ in the cloud, http://127.0.0.1:3000/console/ locally) */
export function taskLinkOf(consoleUrl: string | undefined, task: { id: string; surveyId: string }): string | undefined {
  if (!consoleUrl) return undefined;
  const base = consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`;
  return `${base}#/followups/${encodeURIComponent(task.id)}?survey=${encodeURIComponent(task.surveyId)}`;
}
