// OpenAI's own rules for the dall-e models (facts §1.3), which every gateway that forwards them to
// OpenAI inherits: each gateway spreads these and changes what its reference says differently.
import type { CompatModel } from './compat-core.js';

export const DALL_E_2: CompatModel = {
  id: 'dall-e-2',
  owner: 'openai',
  promptMax: 1000,
  nMax: 10,
  sizes: ['256x256', '512x512', '1024x1024'],
  defaultSize: '1024x1024',
  // "standard is the only option for dall-e-2" (facts §1.2): the upstream takes it.
  qualities: ['standard'],
  defaultQuality: 'standard',
  usdPerImage: (size) => ({ '256x256': 0.016, '512x512': 0.018 })[size] ?? 0.02,
};

export const DALL_E_3: CompatModel = {
  id: 'dall-e-3',
  owner: 'openai',
  promptMax: 4000,
  nMax: 1,
  sizes: ['1024x1024', '1792x1024', '1024x1792'],
  defaultSize: '1024x1024',
  qualities: ['standard', 'hd'],
  defaultQuality: 'standard',
  styles: ['vivid', 'natural'],
  revisesPrompt: true,
  usdPerImage: (size, q) => (q === 'hd' ? (size === '1024x1024' ? 0.08 : 0.12) : size === '1024x1024' ? 0.04 : 0.08),
};
