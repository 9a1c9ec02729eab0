// widget ui: every string the widget itself says, English and Simplified Chinese. A survey's own locale texts
// (labels, end-point labels, title, thank-you) take precedence; these fill what the survey leaves out.

export interface Strings {
  next: string;
  back: string;
  send: string;
  close: string;
  /** "{n}" and "{m}": this step and the number of steps */
  step: string;
  required: string;
  empty: string;
  thanks: string;
  nps: string;
  csat: string;
  ces: string;
  text: string;
  /** labels of a scale's two ends, by question type */
  ends: Record<'nps' | 'csat' | 'ces', [string, string]>;
}

const en: Strings = {
  next: 'Next',
  back: 'Back',
  send: 'Send',
  close: 'Close',
  step: 'Step {n} of {m}',
  required: 'Please choose an answer.',
  empty: 'Please answer at least one question.',
  thanks: 'Thank you for your feedback!',
  nps: 'How likely are you to recommend us to a friend or colleague?',
  csat: 'How satisfied are you?',
  ces: 'How easy was it to get what you needed?',
  text: 'Anything else you would like to tell us?',
  ends: { nps: ['Not likely', 'Very likely'], csat: ['Very unsatisfied', 'Very satisfied'], ces: ['Very difficult', 'Very easy'] },
};

const zh: Strings = {
  next: '下一步',
  back: '上一步',
  send: '提交',
  close: '关闭',
  step: '第 {n} 步，共 {m} 步',
  required: '请选择一个答案。',
  empty: '请至少回答一个问题。',
  thanks: '感谢您的反馈！',
  nps: '您向朋友或同事推荐我们的可能性有多大？',
  csat: '您的满意度如何？',
  ces: '获得所需帮助的难易程度如何？',
  text: '还有什么想告诉我们的吗？',
  ends: { nps: ['不太可能', '非常可能'], csat: ['非常不满意', '非常满意'], ces: ['非常困难', '非常容易'] },
};

/** the built-in strings for a locale: Chinese for zh*, English otherwise */
export const stringsFor = (locale: string): Strings => (/^zh\b/i.test(locale) ? zh : en);
