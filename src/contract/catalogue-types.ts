// TypeScript shape of openapi/models.schema.json (the catalogue's own JSON Schema validates the data;
// these interfaces only let the code read it with types).
export type OperationId = 'createImage' | 'createImageEdit' | 'createImageVariation' | 'generateNativeImage';
export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ErrorOverride {
  kind: string;
  param?: string | null;
}

export interface EnumParam {
  values: string[];
  default?: string;
  resolves?: Record<string, string>;
  error?: ErrorOverride;
  transparentFormats?: ImageFormat[];
}
export interface RangeParam {
  min: number;
  max: number;
  default?: number;
  formats?: ImageFormat[];
  error?: ErrorOverride;
}
export interface BoolParam {
  supported: true;
  default?: boolean;
}
export interface UnsupportedParam {
  unsupported: 'reject' | 'ignore';
  error?: ErrorOverride;
}

export interface ModelParams {
  quality: EnumParam | UnsupportedParam;
  style: EnumParam | UnsupportedParam;
  response_format: EnumParam | UnsupportedParam;
  output_format: EnumParam | UnsupportedParam;
  output_compression: RangeParam | UnsupportedParam;
  background: EnumParam | UnsupportedParam;
  moderation: EnumParam | UnsupportedParam;
  stream: BoolParam | UnsupportedParam;
  partial_images: RangeParam | UnsupportedParam;
  input_fidelity: EnumParam | UnsupportedParam;
}
export type ParamName = keyof ModelParams;

export interface CustomSizeRules {
  multipleOf: number;
  minEdge: number;
  maxEdge: number;
  minAspect?: number;
  maxAspect?: number;
  maxPixels?: number;
  source?: string[];
}

export interface Upload {
  formats: ImageFormat[];
  maxBytes: number;
  maxCount?: number;
  square?: boolean;
  sameSizeAsImage?: boolean;
}

export interface Price {
  size?: string;
  quality?: string;
  usd: number;
  /** Where the figure comes from. */
  source?: string;
}

export interface ModelEntry {
  provider: string;
  family: 'dall-e' | 'gpt-image' | 'diffusion';
  description?: string;
  aliases: string[];
  operations: OperationId[];
  prompt: { minChars?: number; maxChars: number; error?: ErrorOverride };
  n: { min: number; max: number; default: number; error?: ErrorOverride };
  size: {
    values: string[];
    default: string;
    resolves?: Record<string, string>;
    custom?: CustomSizeRules;
    error?: ErrorOverride;
  };
  params: ModelParams;
  output: {
    url: boolean;
    revisedPrompt: boolean;
    usage: boolean;
    echo: Array<'size' | 'quality' | 'output_format' | 'background'>;
  };
  edits?: { image: Upload; mask?: Upload };
  variations?: { image: Upload };
  pricing?: Price[];
  source: string[];
}

export interface Catalogue {
  version: 1;
  models: Record<string, ModelEntry>;
}

/** A catalogue entry together with the id it is listed under. */
export interface Model extends ModelEntry {
  id: string;
}

export function isSupported<P extends object>(param: P | UnsupportedParam): param is P {
  return !('unsupported' in param);
}
