import { ErrorCode, megabytes, type INotebook } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';

/** One attachment of a cell (an image pasted or dragged into Markdown) and what it adds to an upload. */
export interface IAttachmentSize {
  /** The cell's number as the user counts, from 1. */
  cell: number;
  name: string;
  bytes: number;
}

/** What an upload weighs, and the attachments that make most of it. */
export interface IUploadSize {
  /** The request body in bytes, as sent. */
  bytes: number;
  /** Attachments that are at least a tenth of the upload, largest first, at most three. */
  attachments: IAttachmentSize[];
}

/**
 * Weigh a request body and find the attachments of `notebook` (the stripped notebook it carries) that make it
 * heavy. Outputs are stripped before upload, so attachments are what usually make a notebook too big to save.
 */
export function measureUpload(body: unknown, notebook: INotebook): IUploadSize {
  const bytes = Private.utf8Length(JSON.stringify(body));
  const attachments: IAttachmentSize[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const [name, bundle] of Object.entries(cell.attachments ?? {})) {
      attachments.push({ cell: index + 1, name, bytes: Private.utf8Length(JSON.stringify(bundle)) });
    }
  });
  return {
    bytes,
    attachments: attachments
      .filter(attachment => attachment.bytes * 10 >= bytes)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
  };
}

/**
 * Refuse, before anything is sent, a notebook whose upload would be over the gallery's limit (`uploadLimitBytes` of
 * its configuration), so a user with a 60 MB image learns what to do without waiting for the upload. Does nothing
 * when the limit is unknown (a gallery from before it said so): its 413 then says it, through `uploadWithinLimit`.
 *
 * @throws {GalleryError} PAYLOAD_TOO_LARGE, with status 0 as nothing was sent, and `uploadWithinLimit`'s message.
 */
export function checkUploadSize(trans: TranslationBundle, notebook: INotebook, limitBytes: number | null): void {
  if (limitBytes === null) {
    return;
  }
  const size = measureUpload({ notebook }, notebook);
  if (size.bytes > limitBytes) {
    throw Private.tooLarge(trans, size, limitBytes, 0);
  }
}

/**
 * Send an upload, and when the gallery refuses it as too large (413), throw instead a `GalleryError` whose message
 * says the gallery's limit in MB (from the reply's `limitBytes`), the upload's size, which cells hold the large
 * attachments, that outputs are never uploaded but attachments are, and what to do.
 *
 * @throws {GalleryError} PAYLOAD_TOO_LARGE with `limitBytes`, `bytes` and `attachments` in its details; any other
 *   failure of `send` unchanged.
 */
export async function uploadWithinLimit<T>(
  trans: TranslationBundle,
  body: unknown,
  notebook: INotebook,
  send: () => Promise<T>
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof GalleryError) || (error.code !== ErrorCode.PAYLOAD_TOO_LARGE && error.status !== 413)) {
      throw error;
    }
    const limit = typeof error.details.limitBytes === 'number' ? error.details.limitBytes : null;
    throw Private.tooLarge(trans, measureUpload(body, notebook), limit, error.status);
  }
}

/** The sentences of `uploadWithinLimit`'s error; `limitBytes` is null when the gallery did not say its limit. */
export function tooLargeMessage(trans: TranslationBundle, size: IUploadSize, limitBytes: number | null): string {
  const sentences = [
    limitBytes === null
      ? trans.__(
          'This notebook is too big to save to the gallery: the upload is %1 MB, more than the gallery accepts.',
          megabytes(size.bytes)
        )
      : trans.__(
          'This notebook is too big to save to the gallery: the upload is %1 MB, and the gallery accepts at most %2 MB.',
          megabytes(size.bytes),
          megabytes(limitBytes)
        ),
    trans.__('Outputs are never uploaded, but attachments (images pasted or dragged into Markdown cells) are.')
  ];
  const where = size.attachments.map(attachment =>
    trans.__('“%1” in cell %2 (%3 MB)', attachment.name, attachment.cell, megabytes(attachment.bytes))
  );
  if (where.length === 0) {
    sentences.push(
      trans.__(
        'It has no large attachments: its code and text take the space. Move large data (long literals, embedded files) out of the notebook into files, or split it into smaller notebooks.'
      )
    );
  } else {
    sentences.push(
      where.length === 1
        ? trans.__('The large attachment is %1.', where[0])
        : trans.__('The large attachments are %1.', where.join(trans.__('; '))),
      trans.__(
        'Make the image smaller (a lower resolution, or JPEG instead of PNG), remove it, or put it in a file or on a web page and link to it, then save again.'
      )
    );
  }
  return sentences.join(' ');
}

namespace Private {
  export function tooLarge(
    trans: TranslationBundle,
    size: IUploadSize,
    limitBytes: number | null,
    status: number
  ): GalleryError {
    return new GalleryError(ErrorCode.PAYLOAD_TOO_LARGE, status, tooLargeMessage(trans, size, limitBytes), {
      limitBytes,
      bytes: size.bytes,
      attachments: size.attachments
    });
  }

  /** Bytes of `text` in UTF-8, as it crosses the network, without building the encoded copy. */
  export function utf8Length(text: string): number {
    let bytes = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x80) {
        bytes += 1;
      } else if (code < 0x800) {
        bytes += 2;
      } else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
        bytes += 4;
        index++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
