import { describe, expect, it } from 'vitest';
import { confirmationPage, oneClickValue, refusedPage } from './unsubscribe-page';

describe('oneClickValue', () => {
  it('reads the urlencoded body the body parser produced', () => {
    expect(
      oneClickValue('application/x-www-form-urlencoded', { 'List-Unsubscribe': 'One-Click' }, undefined),
    ).toBe('One-Click');
    expect(oneClickValue('application/x-www-form-urlencoded', { other: 'x' }, undefined)).toBeUndefined();
  });

  it('reads the field out of a multipart/form-data body (RFC 8058 allows both encodings)', () => {
    const raw =
      '--XyZ\r\nContent-Disposition: form-data; name="something"\r\n\r\nelse\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n';
    expect(oneClickValue('multipart/form-data; boundary=XyZ', undefined, raw)).toBe('One-Click');
    expect(oneClickValue('multipart/form-data; boundary="XyZ"', undefined, raw)).toBe('One-Click');
    expect(oneClickValue('multipart/form-data; boundary=Other', undefined, raw)).toBeUndefined();
    expect(oneClickValue('text/plain', undefined, raw)).toBeUndefined();
  });
});

describe('pages', () => {
  it('the confirmation form posts the one-click body to the escaped action path', () => {
    const html = confirmationPage('/v1/unsubscribe/a"b');
    expect(html).toContain('action="/v1/unsubscribe/a&#34;b"');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(html).toContain('method="post"');
  });

  it('says whether a refused link expired or is invalid', () => {
    expect(refusedPage('expired')).toContain('expired');
    expect(refusedPage('invalid')).toContain('not valid');
  });
});
