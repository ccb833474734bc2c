import { describe, it, expect } from 'vitest';
import { findModel, sizeProblem, resolveSize, sizeSatisfies, valueSatisfies, isSupported, type EnumParam, buildError, errorKinds, loadProfile, specValidator, ProfileError } from '../src/contract/index.js';

describe('contract loading', () => {
  it('finds models by id and alias', () => {
    expect(findModel('openai/dall-e-3')?.id).toBe('dall-e-3');
    expect(findModel('gpt-image-2-2026-04-21')?.id).toBe('gpt-image-2');
    expect(findModel('dall-e-9')).toBeUndefined();
  });
  it('applies custom size rules', () => {
    const model = findModel('gpt-image-2')!;
    expect(sizeProblem(model, '2048x1152')).toBeUndefined();
    expect(sizeProblem(model, '2048x1150')).toMatch(/multiples of 16/);
    expect(sizeProblem(model, '3840x1024')).toMatch(/aspect/);
    expect(sizeProblem(model, '4096x2304')).toMatch(/edges/);
    expect(sizeProblem(findModel('dall-e-3')!, '1024x1024')).toBeUndefined();
    expect(sizeProblem(findModel('dall-e-3')!, '512x512')).toBeDefined();
    expect(resolveSize(findModel('gpt-image-1')!, undefined)).toBe('1024x1024');
  });
  it('treats auto as any allowed value and concrete values exactly', () => {
    const gpt = findModel('gpt-image-1')!;
    expect(sizeSatisfies(gpt, undefined, '1024x1536')).toBe(true);
    expect(sizeSatisfies(gpt, 'auto', '512x512')).toBe(false);
    expect(sizeSatisfies(gpt, '1536x1024', '1024x1024')).toBe(false);
    const quality = gpt.params.quality as EnumParam;
    expect(valueSatisfies(quality, undefined, 'high')).toBe(true);
    expect(valueSatisfies(quality, undefined, 'auto')).toBe(false);
    expect(valueSatisfies(quality, 'low', 'high')).toBe(false);
    const dalle3 = findModel('dall-e-3')!.params.quality;
    expect(isSupported(dalle3) && 'values' in dalle3 && valueSatisfies(dalle3, undefined, 'hd')).toBe(false);
    expect(isSupported(dalle3) && 'values' in dalle3 && valueSatisfies(dalle3, undefined, 'standard')).toBe(true);
  });
  it('builds error bodies from the spec examples', () => {
    const e = buildError('unknown_parameter', { param: 'response_format' });
    expect(e).toEqual({ status: 400, body: { error: { message: "Unknown parameter: 'response_format'.", type: 'invalid_request_error', param: 'response_format', code: 'unknown_parameter' } } });
    expect(buildError('budget_exceeded', {}, { envelope: 'native' }).body).toMatchObject({ status: 'error', error: { code: 'BUDGET_EXCEEDED' } });
    expect(errorKinds().size).toBeGreaterThan(20);
  });
  it('loads profiles and rejects unknown ones', () => {
    expect(loadProfile('openai').defaultModel.createImage).toBe('dall-e-2');
    expect(() => loadProfile('nope')).toThrow(ProfileError);
  });
  it('validates against spec schemas', () => {
    expect(specValidator().problems('CreateImageRequest', { prompt: 'otter', n: null, model: null })).toEqual([]);
    expect(specValidator().problems('ImagesResponse', { created: 1763712000000, data: [] }).length).toBeGreaterThan(0);
  });
});
