// domain: the survey the local runtime seeds so that `npm start` has something to answer.
import type { SurveyInput } from './schema.js';

export function demoSurvey(allowedOrigins: string[]): SurveyInput {
  return {
    id: 'demo',
    title: 'Demo shop: how did we do?',
    defaultLocale: 'en',
    channels: ['web', 'email', 'api'],
    allowedOrigins,
    defaultTouchpoint: 'checkout',
    defaultJourneyStage: 'purchase',
    questions: [
      { id: 'nps', type: 'nps', required: true },
      { id: 'csat', type: 'csat' },
      { id: 'ces', type: 'ces' },
      { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 0.4 },
      { id: 'service', type: 'rating', dimension: 'service-quality', max: 5, weight: 0.35 },
      { id: 'price', type: 'rating', dimension: 'price', max: 5, weight: 0.25 },
      { id: 'comment', type: 'text', shown: true },
    ],
    texts: {
      en: {
        title: 'How did we do?',
        thankYou: 'Thank you, your feedback helps us improve.',
        questions: {
          nps: { label: 'How likely are you to recommend us to a friend?', minLabel: 'Not likely', maxLabel: 'Very likely' },
          csat: { label: 'How satisfied are you with your purchase?', minLabel: 'Very unsatisfied', maxLabel: 'Very satisfied' },
          ces: { label: 'It was easy to get what I needed.', minLabel: 'Strongly disagree', maxLabel: 'Strongly agree' },
          product: { label: 'Product quality' },
          service: { label: 'Service quality' },
          price: { label: 'Price fairness' },
          comment: { label: 'Anything you would like to tell us?', placeholder: 'Your comment (optional)' },
        },
      },
      'zh-CN': {
        title: '我们做得怎么样？',
        thankYou: '谢谢，您的反馈帮助我们改进。',
        questions: {
          nps: { label: '您向朋友推荐我们的可能性有多大？', minLabel: '不太可能', maxLabel: '非常可能' },
          csat: { label: '您对这次购买满意吗？', minLabel: '非常不满意', maxLabel: '非常满意' },
          ces: { label: '我很容易就得到了我需要的东西。', minLabel: '非常不同意', maxLabel: '非常同意' },
          product: { label: '产品质量' },
          service: { label: '服务质量' },
          price: { label: '价格合理性' },
          comment: { label: '还有什么想告诉我们的吗？', placeholder: '您的意见（可选）' },
        },
      },
    },
  };
}
