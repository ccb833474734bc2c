// Prototype keys in request bodies (issue 10 point 9): `__proto__`, `constructor` and `prototype`
// are plain unknown parameters. Strict mode refuses them like any unknown field (JSON and
// multipart); --lenient ignores them like any unknown field, so they can neither change `n` nor
// skip the number rules, and never cause a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPng } from '../../src/images/index.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { expectError, expectImagesResponse, multipart, post } from './helpers.js';

let strict: RunningMock;
let lenient: RunningMock;

beforeAll(async () => {
  [strict, lenient] = await Promise.all([startMock({ profile: 'openai' }), startMock({ profile: 'openai', lenient: true })]);
});
afterAll(() => Promise.all([strict.close(), lenient.close()]));

const base = '"prompt":"an otter","model":"dall-e-2","size":"256x256","response_format":"url"';
const square = () => new Blob([new Uint8Array(renderPng({ width: 32, height: 32, seed: 'p', prompt: 'p', index: 0 }))], { type: 'image/png' });

describe('lenient: prototype keys are ignored like any unknown field', () => {
  for (const [label, extra] of [
    ['__proto__ with n 100000', '"__proto__":{"n":100000}'],
    ['__proto__ with n 5', '"__proto__":{"n":5}'],
    ['__proto__ with n -5', '"__proto__":{"n":-5}'],
    ['__proto__ with n 2.5', '"__proto__":{"n":2.5}'],
    ['__proto__ with size and model', '"__proto__":{"size":"99999x99999","model":"nope","quality":"ultra"}'],
    ['constructor 1', '"constructor":1'],
    ['prototype 1', '"prototype":1'],
    ['constructor.prototype', '"constructor":{"prototype":{"n":7}}'],
  ] as const) {
    it(`${label}: one image, as if the key were absent`, async () => {
      const a = await post(`${lenient.url}/images/generations`, `{${base},${extra}}`);
      expect(a.status, a.text).toBe(200);
      expectImagesResponse(a.json);
      expect(a.json.data).toHaveLength(1);
    });
  }

  it('constructor without a model (the default-model choice) is not a 500', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype']) {
      const a = await post(`${lenient.url}/images/generations`, `{"prompt":"x","size":"1024x1024","${key}":1}`);
      expect(a.status, `${key}: ${a.text}`).toBe(200);
      expect(a.json.data).toHaveLength(1);
    }
  });

  it('the number rules still apply: n -5 and 2.5 are 400, not empty or rounded answers', async () => {
    expectError(await post(`${lenient.url}/images/generations`, `{${base},"n":-5}`), 'integer_out_of_range', { param: 'n', min: 1, max: 10, value: -5 });
    expectError(await post(`${lenient.url}/images/generations`, `{${base},"n":2.5}`), 'invalid_type', { param: 'n', expected: 'an integer', actual: 'a number' });
  });

  it('multipart prototype fields are ignored too', async () => {
    const form = new FormData();
    form.append('image', square(), 'a.png');
    form.append('prompt', 'x');
    form.append('model', 'dall-e-2');
    form.append('size', '256x256');
    for (const name of ['__proto__', 'constructor', 'prototype', '__proto__[n]']) form.append(name, '100000');
    const a = await multipart(`${lenient.url}/images/edits`, form);
    expect(a.status, a.text).toBe(200);
    expect(a.json.data).toHaveLength(1);
  });
});

describe('strict: prototype keys are unknown parameters', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`JSON ${key}: 400 unknown_parameter`, async () => {
      expectError(await post(`${strict.url}/images/generations`, `{${base},"${key}":{"n":2}}`), 'unknown_parameter', { param: key });
    });

    it(`multipart ${key}: 400 unknown_parameter, like any other unknown field`, async () => {
      const form = new FormData();
      form.append('image', square(), 'a.png');
      form.append('prompt', 'x');
      form.append('model', 'dall-e-2');
      form.append(key, '1');
      expectError(await multipart(`${strict.url}/images/edits`, form), 'unknown_parameter', { param: key });
    });
  }
});
