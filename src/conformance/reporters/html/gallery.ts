// Images in the report: thumbnails labelled with the model the request named (or the profile's
// default for a request that named none) and the size and format read from the image bytes; grouped
// by the answer that carried them, beside links to the checks that read them.
import type { ExchangeRecord } from '../../http.js';
import type { CheckResult, ImageSample } from '../../types.js';
import { anchorOf, htmlEscape } from './escape.js';

const SAFE_DATA_URL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

export function imageCaption(img: ImageSample): string {
  const model = img.model ? `${img.model}${img.modelFrom === 'default' ? ' (default; request named no model)' : ''}` : 'model unknown';
  return `${model} · ${img.width}×${img.height} · ${img.format.toUpperCase()}`;
}

export function figure(img: ImageSample): string {
  // Thumbnails are made by the suite; anything else is left out rather than loaded.
  const src = SAFE_DATA_URL.test(img.dataUrl) ? ` src="${img.dataUrl}"` : '';
  const caption = imageCaption(img);
  const model = img.model ? `${htmlEscape(img.model)}${img.modelFrom === 'default' ? ' <span class="dim">(default: no model in the request)</span>' : ''}` : '<span class="dim">model unknown</span>';
  return `<figure data-image><img${src} alt="${htmlEscape(caption)}" title="${htmlEscape(`${img.label}: ${caption}`)}" width="${Math.min(160, img.width)}" loading="eager"><figcaption><span class="model">${model}</span><br>${img.width}×${img.height} ${htmlEscape(img.format.toUpperCase())}${img.index !== undefined ? ` <span class="dim">· #${img.index}</span>` : ''}</figcaption></figure>`;
}

/** Images whose answer (or download) a check result cites. */
export function imagesOf(r: CheckResult, images: ImageSample[]): ImageSample[] {
  return images.filter((img) => img.checks?.includes(r.key));
}

export function groupId(img: ImageSample): string {
  return `images-${img.exchange ?? 'other'}`;
}

function chip(r: CheckResult): string {
  return `<a class="chip" href="#${anchorOf(r.key)}"><span class="dot ${r.status}" title="${r.status}"></span>${htmlEscape(r.key)}</a>`;
}

/** One block per answer that carried images: its label, the thumbnails and the checks that read them. */
export function gallerySection(images: ImageSample[], results: CheckResult[], exchanges: Map<number, ExchangeRecord>, notShown: number): string {
  if (!images.length && !notShown) return '';
  const groups = new Map<string, ImageSample[]>();
  for (const img of images) groups.set(groupId(img), [...(groups.get(groupId(img)) ?? []), img]);
  const byKey = new Map(results.map((r) => [r.key, r]));
  const blocks = [...groups].map(([id, imgs]) => {
    const first = imgs[0]!;
    const ex = first.exchange !== undefined ? exchanges.get(first.exchange) : undefined;
    const title = ex ? `${ex.label}` : first.label;
    const checks = [...new Set(imgs.flatMap((i) => i.checks ?? []))].map((k) => byKey.get(k)).filter((r): r is CheckResult => Boolean(r));
    const bad = checks.filter((r) => r.status === 'fail' || r.status === 'error');
    const rest = checks.filter((r) => !bad.includes(r));
    // Failing readers in full; the others in full when few, else behind a count.
    const others = rest.length <= 4 ? rest.map(chip).join(' ') : `<details><summary>${bad.length ? '+ ' : ''}${rest.length} other check(s)</summary>${rest.map(chip).join(' ')}</details>`;
    const used = checks.length ? `<div class="used">read by ${bad.map(chip).join(' ')} ${others}</div>` : '<div class="used">no check cites this answer</div>';
    return `<div class="gen${imgs.length > 2 ? ' wide' : ''}" id="${id}"><h3>${htmlEscape(title)}${ex ? ` <span class="seq">· ${htmlEscape(ex.method)} ${htmlEscape(new URL(ex.url).pathname)} · exchange #${ex.seq}</span>` : ''}</h3><div class="thumbs">${imgs.map(figure).join('')}</div>${used}</div>`;
  });
  const more = notShown ? `<p class="meta">${notShown} more image(s) decoded but are not shown (thumbnail cap).</p>` : '';
  return `<section id="images"><h2>Images the run made (${images.length + notShown})</h2><p class="meta">Size and format are read from the image bytes; the model is the one the request named.</p><div class="gallery">${blocks.join('\n')}</div>${more}</section>`;
}
