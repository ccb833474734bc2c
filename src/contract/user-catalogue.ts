// A user's model catalogue (`--catalogue FILE`): the format of openapi/models.yaml, validated by
// openapi/models.schema.json; its models are added to the built-in ones (same id: replaced).
import { extendCatalogue, type Catalogue } from './catalogue.js';
import { ConfigFileError, readConfigFile } from './config-file.js';

export function readCatalogueFile(path: string): Catalogue {
  return readConfigFile(path, 'models.schema.json', 'catalogue') as unknown as Catalogue;
}

/** Reads a catalogue file and adds its models for the rest of the process; returns their ids. */
export function useCatalogueFile(path: string): string[] {
  const doc = readCatalogueFile(path);
  try {
    extendCatalogue(doc.models);
  } catch (e) {
    throw new ConfigFileError(`catalogue file ${path}: ${(e as Error).message}`);
  }
  return Object.keys(doc.models);
}
