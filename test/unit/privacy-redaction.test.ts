// unit: the local PII redactor finds e-mails, phone numbers, card numbers and IBANs in any language, and leaves
// ordinary numbers alone.
import { describe, expect, it } from 'vitest';
import { ibanValid, luhnValid, redactLocally } from '../../shared/privacy/local-redactor.js';

describe('the local PII redactor', () => {
  it.each([
    ['Write to ana.lopez+shop@example.co.uk please', 'Write to [EMAIL] please'],
    ['我的邮箱是ana@example.com谢谢', '我的邮箱是[EMAIL]谢谢'],
    ['Call me on +44 20 7946 0958.', 'Call me on [PHONE].'],
    ['ring 0049 30 1234567 tomorrow', 'ring [PHONE] tomorrow'],
    ['mein Handy: 0171-555 12 34', 'mein Handy: [PHONE]'],
    ['(212) 555-0143 is my number', '[PHONE] is my number'],
    ['请打电话13812345678联系我', '请打电话[PHONE]联系我'],
    ['電話は+81 3-1234-5678です', '電話は[PHONE]です'],
    ['appelez-moi au 0612345678 svp', 'appelez-moi au [PHONE] svp'],
    ['bel me op 0612345678', 'bel me op [PHONE]'],
    ['my mobile is 07700900123.', 'my mobile is [PHONE].'],
    ['llámame al 612345678 por favor', 'llámame al [PHONE] por favor'],
    ['Tel. 30123456, abends', 'Tel. [PHONE], abends'],
    ['WhatsApp: 5511987654321', 'WhatsApp: [PHONE]'],
    ['电话 87654321 找王先生', '电话 [PHONE] 找王先生'],
    ['my phone number is 612345678', 'my phone number is [PHONE]'],
    ['call me at 612345678 after six', 'call me at [PHONE] after six'],
    ['Handy-Nr. 15112345678', 'Handy-Nr. [PHONE]'],
    ['电话：87654321', '电话：[PHONE]'],
    ['我的电话号码是87654321', '我的电话号码是[PHONE]'],
    ['電話番号：87654321', '電話番号：[PHONE]'],
    ['[tel: 612345678]', '[tel: [PHONE]]'],
    ['llámame mañana al 612345678', 'llámame mañana al [PHONE]'],
    ['call me tomorrow at 612345678', 'call me tomorrow at [PHONE]'],
    ['ring me after six on 612345678', 'ring me after six on [PHONE]'],
    ['Telefon: bitte unter 301234567', 'Telefon: bitte unter [PHONE]'],
    ['card 4111 1111 1111 1111 was charged twice', 'card [CARD] was charged twice'],
    ['カード4111-1111-1111-1111で払った', 'カード[CARD]で払った'],
    ['IBAN DE89 3704 0044 0532 0130 00 please refund', 'IBAN [IBAN] please refund'],
    ['refund to GB82WEST12345698765432 ASAP', 'refund to [IBAN] ASAP'],
    ['退款到DE89370400440532013000谢谢', '退款到[IBAN]谢谢'],
  ])('redacts %j', (input, expected) => {
    // Act
    const { text } = redactLocally(input);

    // Assess
    expect(text).toBe(expected);
  });

  it.each([
    'order 12345 arrived late',
    'order number 12345678 arrived late',
    'it cost €1,299.00 in 2026',
    'delivered on 2026-11-23 at 10:30',
    'delivered 23.11.2026',
    'we sold 10 000 000 units',
    'population 12.345.678',
    'card 4111 1111 1111 1112 is not a valid number',
    'GB00WEST12345698765432 fails its checksum',
    'version 1.2.3 is great, 10/10',
    'ticket A-2026-0001234 still open',
    'order 123456789012 never came, call the shop',
    'I called twice about invoice 20261207',
    'the cell arrived, batch 123456789',
    'please call about order 12345678',
    'I will call back about invoice 20261207',
    'Call center ticket 123456789 still open',
    'Phone bill for account 4815162342 is wrong',
    'mobile app crashed, build 202612071',
    'very handy! order 12345678',
    'portable speaker SKU 12345678901',
    'order 0123 and 012345678 (nine digits) are not phones',
  ])('leaves %j unchanged', (input) => {
    // Act
    const { text, found } = redactLocally(input);

    // Assess
    expect(text).toBe(input);
    expect(found).toEqual({});
  });

  it('does not read its own [PHONE] as a word for a phone', () => {
    // Act
    const grouped = redactLocally('+33 6 12 34 56 78, ref 87654321');
    const chinese = redactLocally('请打电话13812345678，订单号 987654321');

    // Assess
    expect(grouped).toEqual({ text: '[PHONE], ref 87654321', found: { PHONE: 1 } });
    expect(chinese).toEqual({ text: '请打电话[PHONE]，订单号 987654321', found: { PHONE: 1 } });
  });

  it('counts what it replaced, by kind, without keeping any of it', () => {
    // Act
    const { found } = redactLocally('a@b.io, c@d.io, +1 415 555 0100, 4111111111111111');

    // Assess
    expect(found).toEqual({ EMAIL: 2, PHONE: 1, CARD: 1 });
  });

  it('checks cards with Luhn and IBANs with mod-97', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
  });
});

describe('a survey\'s privacy setting', () => {
  it('defaults to redact, accepts keep, and names the field when it is anything else', async () => {
    // Prepare
    const { surveySchema } = await import('../../shared/survey/schema.js');
    const base = { id: 's', title: 's', channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: 's', questions: {} } } };

    // Act
    const byDefault = surveySchema.parse(base);
    const keeping = surveySchema.parse({ ...base, privacy: { comments: 'keep' } });
    const wrong = surveySchema.safeParse({ ...base, privacy: { comments: 'maybe' } });

    // Assess
    expect(byDefault.privacy).toEqual({ comments: 'redact' });
    expect(keeping.privacy).toEqual({ comments: 'keep' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['privacy.comments', 'one of redact, keep']]);
  });
});
