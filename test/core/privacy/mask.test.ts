/** Masking of e-mails, phones and personal text; recognising personal-data columns by header and values. */
import { describe, expect, it } from 'vitest';
import { looksLikeEmail, looksLikePhone, maskContactsInText, maskEmail, maskIfContact, maskPersonal, maskPhone, maskText } from '../../../src/core/privacy/mask.js';
import { personalCells, piiKindOf, piiKindOfHeader, piiKindOfValues } from '../../../src/core/privacy/pii-columns.js';

describe('mask', () => {
  it('masks e-mails to the first character and the domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskIfContact(' bob.smith+x@mail.example.org ')).toBe('b***@mail.example.org');
  });

  it('masks phone numbers to the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+1 555-123-4567')).toBe('+155****4567');
    expect(maskPhone('020 7946 0958')).toBe('020****0958');
  });

  it('masks names and addresses to their first character', () => {
    expect(maskText('张三')).toBe('张*');
    expect(maskText('Jane Doe')).toBe('J***');
    expect(maskPersonal('上海市浦东新区')).toBe('上***');
    expect(maskPersonal('')).toBe('');
  });

  it('tells contacts from ids: plain numbers and codes are not phones', () => {
    for (const id of ['12345', 'C0000497', '12347', '1001', '20240101', '#1001', '9876543210']) {
      expect(looksLikePhone(id), id).toBe(false);
      expect(maskIfContact(id)).toBe(id);
    }
    for (const p of ['13812345678', '+86 138 1234 5678', '(555) 123-4567', '+44 20 7946 0958']) expect(looksLikePhone(p), p).toBe(true);
    expect(looksLikeEmail('a@b.co')).toBe(true);
    expect(looksLikeEmail('not an email@x')).toBe(false);
  });

  it('masks contacts inside free text and leaves the rest', () => {
    expect(maskContactsInText('x,alice@example.com,13812345678,2024-01-01,12.50')).toBe('x,a***@example.com,138****5678,2024-01-01,12.50');
  });
});

describe('pii columns', () => {
  it('recognises English and Chinese headers', () => {
    expect(piiKindOfHeader('Email')).toBe('email');
    expect(piiKindOfHeader('Customer E-mail')).toBe('email');
    expect(piiKindOfHeader('邮箱')).toBe('email');
    expect(piiKindOfHeader('Mobile')).toBe('phone');
    expect(piiKindOfHeader('联系电话')).toBe('phone');
    expect(piiKindOfHeader('手机号码')).toBe('phone');
    expect(piiKindOfHeader('姓名')).toBe('name');
    expect(piiKindOfHeader('收货人')).toBe('name');
    expect(piiKindOfHeader('Shipping Address')).toBe('address');
    expect(piiKindOfHeader('收货地址 ')).toBe('address');
    for (const h of ['country', 'channel', 'amount', '订单编号', 'status']) expect(piiKindOfHeader(h), h).toBeNull();
  });

  it('recognises columns by their values when the header says nothing', () => {
    expect(piiKindOfValues(['a@x.com', 'b@y.org', ''])).toBe('email');
    expect(piiKindOfValues(['13812345678', '13987654321', 'n/a'])).toBe('phone');
    expect(piiKindOfValues(['DE', 'FR'])).toBeNull();
    expect(piiKindOf('contact', ['a@x.com'])).toBe('email');
  });

  it('leaves out columns mapped to canonical fields other than the id (Shopify Name is the order number)', () => {
    const header = ['Name', 'Email', 'Phone', 'Total', 'Billing Name'];
    expect(personalCells(header, { order_id: 0, customer_id: 1, amount: 3 })).toEqual([1, 2, 4]);
    expect(personalCells(null, {})).toEqual([]);
  });
});
