import { describe, it, expect } from 'vitest';
import { coerceFormFields } from '../../src/mock/core/read/form-fields.js';
import { specValidator } from '../../src/contract/validator.js';

const edit = (fields: Record<string, string[]>) => coerceFormFields(fields, 'CreateImageEditRequest').body;
const variation = (fields: Record<string, string[]>) => coerceFormFields(fields, 'CreateImageVariationRequest').body;

describe('coerceFormFields: CreateImageEditRequest', () => {
  it('types numbers and booleans from the schema and leaves strings alone', () => {
    const body = edit({
      prompt: ['42'],
      model: ['gpt-image-1'],
      n: ['2'],
      size: ['1024x1536'],
      quality: ['high'],
      output_compression: ['0'],
      stream: ['true'],
      partial_images: ['3'],
      user: ['false'],
    });
    expect(body).toEqual({
      prompt: '42',
      model: 'gpt-image-1',
      n: 2,
      size: '1024x1536',
      quality: 'high',
      output_compression: 0,
      stream: true,
      partial_images: 3,
      user: 'false',
    });
    expect(edit({ stream: ['false'] }).stream).toBe(false);
    // With an image (sent as a file, merged by the caller) the coerced body is valid.
    expect(specValidator().problems('CreateImageEditRequest', { ...body, image: 'binary' })).toEqual([]);
  });

  it('leaves values that do not parse cleanly as strings, so validation reports invalid_type', () => {
    const body = edit({ prompt: ['p'], 'image[]': ['x'], n: ['two'], stream: ['yes'], output_compression: ['2.5'], partial_images: [' 1'] });
    expect(body).toMatchObject({ n: 'two', stream: 'yes', output_compression: '2.5', partial_images: ' 1' });
    const problems = specValidator().problems('CreateImageEditRequest', body);
    for (const path of ['/n', '/stream', '/output_compression', '/partial_images'])
      expect(problems.some((p) => p.path === path && p.keyword === 'type')).toBe(true);
    expect(edit({ n: ['1e1'] }).n).toBe('1e1'); // integer fields take integer syntax only
    expect(edit({ stream: ['TRUE'] }).stream).toBe('TRUE');
    expect(edit({ n: ['99999999999999999999'] }).n).toBe('99999999999999999999'); // not a safe integer
  });

  it('collects array properties and keeps the last value of a repeated scalar', () => {
    expect(edit({ 'image[]': ['a'] })['image[]']).toEqual(['a']); // array-only: always an array
    expect(edit({ 'image[]': ['a', 'b'] })['image[]']).toEqual(['a', 'b']);
    expect(edit({ image: ['a'] }).image).toBe('a'); // scalar-or-array: one value stays a value
    expect(edit({ image: ['a', 'b'] }).image).toEqual(['a', 'b']);
    expect(edit({ n: ['1', '3'] }).n).toBe(3);
    expect(edit({ prompt: ['first', 'second'] }).prompt).toBe('second');
  });

  it('keeps fields the schema does not declare as text', () => {
    expect(edit({ foo: ['1', '2'], 'tags[]': ['a', 'b'] })).toEqual({ foo: '2', 'tags[]': ['a', 'b'] });
    expect(edit({ empty: [] })).toEqual({});
  });
});

describe('coerceFormFields: CreateImageVariationRequest', () => {
  it('types n and keeps the rest', () => {
    const body = variation({ model: ['dall-e-2'], n: ['3'], size: ['512x512'], response_format: ['b64_json'], user: ['u1'] });
    expect(body).toEqual({ model: 'dall-e-2', n: 3, size: '512x512', response_format: 'b64_json', user: 'u1' });
    expect(specValidator().problems('CreateImageVariationRequest', { ...body, image: 'binary' })).toEqual([]);
    const bad = variation({ n: ['3.0'] });
    expect(bad.n).toBe('3.0');
    expect(specValidator().problems('CreateImageVariationRequest', { ...bad, image: 'binary' }).map((p) => p.path)).toContain('/n');
  });
});

describe('coerceFormFields: reads any schema', () => {
  it('follows type arrays with null (EditImageJsonRequest)', () => {
    expect(coerceFormFields({ n: ['4'], stream: ['false'], output_compression: ['70'], prompt: ['p'] }, 'EditImageJsonRequest').body).toEqual({
      n: 4,
      stream: false,
      output_compression: 70,
      prompt: 'p',
    });
  });
  it('throws for a schema the spec does not have', () => {
    expect(() => coerceFormFields({}, 'NoSuchSchema')).toThrow(/NoSuchSchema/);
  });
});
