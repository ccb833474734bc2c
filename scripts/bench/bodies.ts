// The request bodies every benchmark sends (HTTP and in-process alike).
export const URL_BODY = { model: 'dall-e-2', prompt: 'a lighthouse at dusk', response_format: 'url' };
export const B64_BODY = { model: 'dall-e-2', prompt: 'a lighthouse at dusk', response_format: 'b64_json', size: '1024x1024' };
