// unit: the language a comment is read in (shared/sentiment/comment-language.ts): its locale's, unless the comment is
// written in a script that language does not use.
import { describe, expect, it } from 'vitest';
import { commentLanguage, letterCountsOf } from '../../shared/sentiment/comment-language.js';

describe('the language a comment is read in', () => {
  it.each([
    ['en-GB', 'Great service, fast delivery!', 'en'],
    ['es', 'La entrega llegó tarde y nadie respondió.', 'es'],
    ['zh-CN', '送货太慢了，客服也不回复。', 'zh'],
    ['zh-TW', '送貨太慢了', 'zh-TW'],
    ['ja', '配送が遅すぎました', 'ja'],
    ['ja', '最悪', 'ja'],
    ['ko', '배송이 너무 늦었어요', 'ko'],
    ['ar', 'التوصيل كان بطيئا جدا', 'ar'],
    ['ru', 'Доставка была очень медленной', 'ru'],
    ['hi', 'डिलीवरी बहुत धीमी थी', 'hi'],
    // mostly the locale's script, some words of another
    ['zh', '很好 good', 'zh'],
    ['en', 'I love 寿司, great place', 'en'],
    ['en_GB', 'Lovely staff', 'en'],
  ])('reads a comment in its locale\'s language when it is written in that language\'s script (%s: %s)', (locale, comment, language) => {
    expect(commentLanguage(locale, comment)).toBe(language);
  });

  it.each([
    ['en-GB', '送货太慢了，客服也不回复。'],
    ['en-US', 'Доставка была очень медленной'],
    ['en', 'التوصيل كان بطيئا جدا'],
    ['fr', '배송이 너무 늦었어요'],
    ['zh-CN', 'The delivery was late and nobody answered my emails.'],
    ['ja', 'Terrible service, never again'],
    ['ru', 'Great service, fast delivery!'],
    ['ar', 'Great service'],
    ['en', '很好'],
  ])('leaves the language to be detected when the comment is mostly in another script (%s: %s)', (locale, comment) => {
    expect(commentLanguage(locale, comment)).toBeUndefined();
  });

  it('leaves it to be detected without a locale, whatever the comment', () => {
    expect(commentLanguage(undefined, 'Great service, fast delivery!')).toBeUndefined();
    expect(commentLanguage('', 'Great service')).toBeUndefined();
  });

  it('keeps the locale when the comment says too little about its script', () => {
    expect(commentLanguage('zh', 'ok')).toBe('zh');
    expect(commentLanguage('en', '好')).toBe('en');
    expect(commentLanguage('en', '👍 10/10 !!!')).toBe('en');
  });

  it.each([
    // not languages at all: undetermined, no linguistic content, multiple, uncoded, private use (qaa–qtz)
    'und', 'zxx', 'mul', 'mis', 'qaa', 'qtz-x-shop',
    // no such language, as a page's lang attribute may say
    'xx', 'xx-YY', 'abc',
    // languages whose script has no entry here (Tamil, Georgian)
    'ta', 'ka-GE',
  ])('leaves the language to be detected when the locale\'s language has no script known here (%s), however short the comment', (locale) => {
    expect(commentLanguage(locale, 'Terrible service, awful and rude staff.')).toBeUndefined();
    expect(commentLanguage(locale, 'ok')).toBeUndefined();
    expect(commentLanguage(locale, '送货太慢了')).toBeUndefined();
  });

  it('does not count web and e-mail addresses as the comment\'s own words', () => {
    expect(commentLanguage('zh', '网站 https://shop.example.com/orders/12345 打不开')).toBe('zh');
    expect(commentLanguage('zh', '请联系我 zhangwei.customer@example.com')).toBe('zh');
    expect(commentLanguage('ja', '注文ページ www.example.co.jp/mypage が開かない')).toBe('ja');
    expect(commentLanguage('en', 'Мой заказ https://shop.example.com/o/1 не пришёл')).toBeUndefined();
  });

  it('does not count the tokens redaction leaves as the comment\'s own letters', () => {
    // "[PHONE] [EMAIL] [NAME]" would be 14 Latin letters against 4 Han characters (weighted 8)
    expect(commentLanguage('zh', '请打电话 [PHONE] [EMAIL] [NAME]')).toBe('zh');
    expect(commentLanguage('en', '请打电话 [PHONE] [EMAIL] [NAME]')).toBeUndefined();
  });

  it('cannot tell two languages of one script apart: a French comment under an English locale is read as English', () => {
    expect(commentLanguage('en-GB', 'La livraison était en retard et personne ne répond.')).toBe('en');
  });

  it('counts letters only, not a script\'s vowel signs, digits or radicals', () => {
    expect(letterCountsOf('डिलीवरी बहुत धीमी थी')).toMatchObject({ letters: 10, devanagari: 10 });
    expect(letterCountsOf('١٢٣٤٥٦٧ ٠')).toMatchObject({ letters: 0, arabic: 0 });
    expect(commentLanguage('en', 'ok ١٢٣٤٥٦٧')).toBe('en');
  });

  it('counts letters by script, and every letter', () => {
    expect(letterCountsOf('Añb 好か한 ع д λ')).toMatchObject({ letters: 9, latin: 3, han: 1, kana: 1, hangul: 1, arabic: 1, cyrillic: 1, greek: 1, hebrew: 0 });
    expect(letterCountsOf('ქართ 123 !')).toMatchObject({ letters: 4, latin: 0 });
  });
});
