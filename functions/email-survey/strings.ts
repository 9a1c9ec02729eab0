// presentation: the hosted email survey page's own words (the questions come from the survey's locale texts), in
// English and Simplified Chinese; any other language gets English.
export interface PageStrings {
  send: string;
  required: string;
  optional: string;
  thankYou: string;
  saved: string;
  alreadyAnswered: string;
  answerShown: string;
  commentRedacted: string;
  commentPending: string;
  changeAnswer: string;
  fixErrors: string;
  scoreRejected: (score: string, min: number, max: number) => string;
  chooseOne: (min: number, max: number) => string;
  commentTooLong: (max: number) => string;
  commentNotText: string;
  answerSomething: string;
  invalidHeading: string;
  invalidText: string;
  notFoundHeading: string;
  notFoundText: string;
  expiredHeading: string;
  expiredText: string;
  tooLargeHeading: string;
  tooLargeText: string;
  unreadableHeading: string;
  unreadableText: string;
  closedHeading: string;
  closedText: string;
  nothingHere: string;
}

const en: PageStrings = {
  send: 'Send',
  required: 'required',
  optional: 'optional',
  thankYou: 'Thank you',
  saved: 'Your answer has been recorded.',
  alreadyAnswered: 'We already have your answer. Sending the form again replaces it.',
  answerShown: 'This form shows your answer. Sending it again replaces it.',
  commentRedacted:
    'To protect your privacy, personal details in your comment (such as phone numbers or e-mail addresses) were replaced by markers such as [PHONE] when we saved it. The comment box shows it as we keep it.',
  commentPending: 'Your comment is still being saved, so it is not shown here yet: reload this page in a moment to see it. Sending the form now replaces it with what the comment box holds.',
  changeAnswer: 'Change my answer',
  fixErrors: 'Please check your answers:',
  scoreRejected: (score, min, max) => `"${score}" is not on the scale from ${min} to ${max}: please choose your answer below.`,
  chooseOne: (min, max) => `choose one of ${min} to ${max}`,
  commentTooLong: (max) => `please shorten it to at most ${max} characters`,
  commentNotText: 'some of its characters did not arrive as text: please check it (they show as �) and send it again',
  answerSomething: 'Please answer at least one question or write a comment.',
  invalidHeading: 'This link is not valid',
  invalidText: 'Please use the link exactly as we sent it.',
  notFoundHeading: 'This survey is no longer available',
  notFoundText: 'We could not find what this link refers to.',
  expiredHeading: 'This link has expired',
  expiredText: 'The survey behind this link has closed. Thank you all the same.',
  tooLargeHeading: 'Your answer is too long',
  tooLargeText: 'Please shorten your comment and send it again.',
  unreadableHeading: 'We could not read your answer',
  unreadableText: 'What was sent is not this survey\'s form. Please open the link from your e-mail again and answer on that page.',
  closedHeading: 'Your answer can no longer be changed',
  closedText: 'Thank you: we already have your answer. An answer can be changed only for a while after it was first given; that time has passed, so a new answer cannot be recorded.',
  nothingHere: 'Nothing to see here.',
};

const zhCN: PageStrings = {
  send: '提交',
  required: '必填',
  optional: '选填',
  thankYou: '谢谢',
  saved: '您的回答已记录。',
  alreadyAnswered: '我们已收到您的回答。再次提交将替换之前的回答。',
  answerShown: '此表单显示的是您的回答。再次提交将替换它。',
  commentRedacted: '为保护您的隐私，我们保存您的意见时已将其中的个人信息（如电话号码或电子邮件地址）替换为 [PHONE] 等标记。意见框中显示的是我们保存的内容。',
  commentPending: '您的意见仍在保存中，因此暂未显示：请稍后刷新此页面查看。现在提交表单将以意见框中的内容替换它。',
  changeAnswer: '修改我的回答',
  fixErrors: '请检查您的回答：',
  scoreRejected: (score, min, max) => `"${score}" 不在 ${min} 到 ${max} 的范围内，请在下方选择。`,
  chooseOne: (min, max) => `请选择 ${min} 到 ${max} 之间的一项`,
  commentTooLong: (max) => `请缩短到 ${max} 个字符以内`,
  commentNotText: '其中部分字符未能以文本形式送达（显示为 �）：请检查后再次提交',
  answerSomething: '请至少回答一个问题或填写意见。',
  invalidHeading: '此链接无效',
  invalidText: '请使用我们发送给您的完整链接。',
  notFoundHeading: '此调查已不可用',
  notFoundText: '找不到此链接对应的内容。',
  expiredHeading: '此链接已过期',
  expiredText: '此链接对应的调查已结束。仍然感谢您。',
  tooLargeHeading: '您的回答太长了',
  tooLargeText: '请缩短您的意见后再次提交。',
  unreadableHeading: '无法读取您的回答',
  unreadableText: '提交的内容不是此调查的表单。请重新打开邮件中的链接，并在该页面上作答。',
  closedHeading: '您的回答已无法修改',
  closedText: '谢谢：我们已收到您的回答。回答只能在首次提交后的一段时间内修改；该期限已过，因此无法记录新的回答。',
  nothingHere: '这里什么也没有。',
};

/** the page's words for a locale: Chinese for any zh locale, English otherwise */
export const stringsFor = (locale: string | undefined): { lang: string; strings: PageStrings } =>
  locale?.toLowerCase().startsWith('zh') ? { lang: 'zh-CN', strings: zhCN } : { lang: 'en', strings: en };
