// Minimal ZIP reading and writing over Blobs, without copying file contents into memory.
//
// readZip(blob)   lists the members of a ZIP Blob; a member's Blob is a slice of the archive
//                 (stored members) or decompressed on demand with DecompressionStream
//                 ("deflate-raw"). ZIP64 archives are read.
// makeZip(files)  builds a ZIP Blob out of Blobs: STORE (no compression), so the archive is
//                 headers + the files' own Blobs, concatenated by the browser without copies.
//                 Only the CRC-32 pass reads the data, streamed. ZIP64 when sizes need it.
//
// Names are written as UTF-8 and dates as 1980-01-01 00:00 (nothing about when or where
// the files were made ends up in the archive).
//
// Why not a library: fflate, @zip.js/zip.js and client-zip were evaluated (web/README.md, "The
// ZIP code"). None can hand out a stored member of a multi-GB archive as a slice of the
// archive's Blob (fflate's Unzip streams the whole archive through memory; zip.js reads the
// central directory by slices but getData() pipes the member through its streams into a
// writer), and none can build an archive as a Blob of the outputs' own Blobs (all three
// produce the archive's bytes as a stream or buffers: every output would be copied once more).
// This file is small, and tests/browser/test_web_zip.py runs it against hostile archives.

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

export class ZipError extends Error {
  constructor(message) {
    super(message);
    this.name = "ZipError";
  }
}

const MAX_CENTRAL_DIRECTORY = 256 * 2 ** 20; // far above any real archive's (46 bytes + name a member)

async function readBytes(blob, start, end) {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

function decodeName(bytes, utf8Flag) {
  if (utf8Flag) return new TextDecoder("utf-8").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * True when a file of `size` bytes starting with `head` (its first 132 bytes or more) is a ZIP
 * archive and not a DICOM file (the command line's test).
 */
export function looksLikeZip(head, size) {
  if (size < 22 || head.length < 4) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length >= 132 && view.getUint32(128, false) === 0x4449434d) return false; // "DICM"
  return view.getUint32(0, true) === LOCAL;
}

/**
 * The members of a ZIP archive.
 * @param {Blob} blob
 * @returns {Promise<Array<{path: string, size: number, compressedSize: number, method: number,
 *   encrypted: boolean, directory: boolean, getBlob: () => Promise<Blob>}>>}
 */
export async function readZip(blob) {
  try {
    return await readCentralDirectory(blob);
  } catch (error) {
    if (error instanceof ZipError) throw error;
    // A DataView read past the end of what the archive holds: it lied about an offset.
    throw new ZipError(`corrupt ZIP archive (${error.message})`);
  }
}

async function readCentralDirectory(blob) {
  const tailStart = Math.max(0, blob.size - (22 + 65535 + 20));
  const tail = await readBytes(blob, tailStart, blob.size);
  const view = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("not a ZIP archive (no end of central directory)");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== ZIP64_LOCATOR) throw new ZipError("ZIP64 locator missing");
    const z64Offset = Number(view.getBigUint64(loc + 8, true));
    if (z64Offset + 56 > blob.size) throw new ZipError("ZIP64 end of central directory missing");
    const z64 = new DataView((await readBytes(blob, z64Offset, z64Offset + 56)).buffer);
    if (z64.getUint32(0, true) !== ZIP64_EOCD) throw new ZipError("ZIP64 end of central directory missing");
    count = Number(z64.getBigUint64(32, true));
    cdSize = Number(z64.getBigUint64(40, true));
    cdOffset = Number(z64.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > blob.size) throw new ZipError("truncated ZIP archive (the central directory is cut)");
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw new ZipError(`the central directory claims ${cdSize} bytes: not a real archive`);
  if (count * 46 > cdSize) throw new ZipError(`corrupt central directory (${count} members cannot fit in ${cdSize} bytes)`);
  const cd = await readBytes(blob, cdOffset, cdOffset + cdSize);
  const cv = new DataView(cd.buffer);
  const members = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cv.getUint32(p, true) !== CENTRAL) throw new ZipError("corrupt central directory");
    const flags = cv.getUint16(p + 8, true);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let size = cv.getUint32(p + 24, true);
    const nameLength = cv.getUint16(p + 28, true);
    const extraLength = cv.getUint16(p + 30, true);
    const commentLength = cv.getUint16(p + 32, true);
    let localOffset = cv.getUint32(p + 42, true);
    if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw new ZipError("corrupt central directory (a record runs past its end)");
    const path = decodeName(cd.subarray(p + 46, p + 46 + nameLength), flags & 0x800);
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cv.getUint16(e, true);
      const len = cv.getUint16(e + 2, true);
      if (e + 4 + len > extraEnd) throw new ZipError(`corrupt extra field in the record of ${path}`);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === MAX32) { size = Number(cv.getBigUint64(q, true)); q += 8; }
        if (compressedSize === MAX32) { compressedSize = Number(cv.getBigUint64(q, true)); q += 8; }
        if (localOffset === MAX32) { localOffset = Number(cv.getBigUint64(q, true)); q += 8; }
      }
      e += 4 + len;
    }
    p = extraEnd + commentLength;
    // Checked when the member is read (getBlob), so that one lying member does not hide the others.
    let problem = null;
    if (localOffset + 30 > cdOffset) problem = "its local header is not before the central directory";
    else if (method === 0 && size !== compressedSize) problem = `it is stored, yet its sizes differ (${compressedSize} stored, ${size} declared)`;
    const member = {
      path,
      size,
      compressedSize,
      method,
      encrypted: Boolean(flags & 1),
      directory: path.endsWith("/"),
      getBlob: () => memberBlob(blob, { path, size, compressedSize, method, flags, localOffset, cdOffset, problem }),
    };
    members.push(member);
  }
  return members;
}

async function memberBlob(archive, m) {
  if (m.flags & 1) throw new ZipError("encrypted ZIP member");
  if (m.problem) throw new ZipError(`corrupt ZIP member: ${m.problem}`);
  const local = new DataView((await readBytes(archive, m.localOffset, m.localOffset + 30)).buffer);
  if (local.byteLength < 30 || local.getUint32(0, true) !== LOCAL) throw new ZipError("corrupt ZIP member: no local header where the central directory says");
  const start = m.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  const end = start + m.compressedSize;
  if (end > archive.size) throw new ZipError("truncated ZIP member");
  if (end > m.cdOffset) throw new ZipError("corrupt ZIP member: its declared size runs into the central directory");
  // Without a data descriptor (flag 3), the local header repeats the sizes: they must agree.
  const localCompressed = local.getUint32(18, true);
  const localSize = local.getUint32(22, true);
  if (!(m.flags & 8) && localCompressed !== MAX32 && (localCompressed !== m.compressedSize || localSize !== m.size)) {
    throw new ZipError("corrupt ZIP member: its local header and the central directory disagree on its size");
  }
  const raw = archive.slice(start, end);
  if (m.method === 0) return raw;
  if (m.method !== 8) throw new ZipError(`unsupported ZIP compression method ${m.method}`);
  let produced = 0;
  let failure = null;
  const limit = new TransformStream({
    transform(chunk, controller) {
      produced += chunk.byteLength;
      if (produced > m.size) {
        failure = new ZipError("corrupt ZIP member: it inflates to more than its declared size");
        throw failure;
      }
      controller.enqueue(chunk);
    },
  });
  let out;
  try {
    out = await new Response(raw.stream().pipeThrough(new DecompressionStream("deflate-raw")).pipeThrough(limit)).blob();
  } catch {
    // The stream's own error reaches here as "Failed to fetch": say what went wrong.
    throw failure || new ZipError("corrupt ZIP member: its compressed data cannot be inflated");
  }
  if (out.size !== m.size) throw new ZipError("corrupt ZIP member: it inflates to less than its declared size");
  return out;
}

// ---------------------------------------------------------------- CRC-32 (slicing by 8)

const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

export function crc32Update(crc, bytes) {
  const t = CRC_TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  const fast = n - (n % 8);
  for (; i < fast; i += 8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ c;
    c =
      t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export async function crc32Blob(blob, onBytes) {
  if (blob.size <= 1 << 20) {
    // One read: a stream costs more than the bytes for the small files most batches hold.
    const crc = crc32Update(0, new Uint8Array(await blob.arrayBuffer()));
    if (onBytes) onBytes(blob.size);
    return crc;
  }
  let crc = 0;
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    crc = crc32Update(crc, value);
    if (onBytes) onBytes(value.byteLength);
  }
  return crc;
}

// ---------------------------------------------------------------- writing

const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

/**
 * A ZIP archive (STORE) of `files`, built from their Blobs without copying them.
 * @param {Array<{name: string, blob: Blob}>} files  names use "/" between folders
 * @param {{onProgress?: (bytesDone: number, bytesTotal: number) => void, signal?: AbortSignal}} [options]
 * @returns {Promise<Blob>}
 */
export async function makeZip(files, { onProgress, signal } = {}) {
  const encoder = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  const total = files.reduce((sum, f) => sum + f.blob.size, 0);
  let done = 0;
  // The CRC pass reads the files, a few at a time: each Blob read is a round trip to the
  // browser's blob store, which costs more than the CRC of a small file.
  const crcs = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      if (signal && signal.aborted) throw new DOMException("ZIP cancelled", "AbortError");
      const index = next++;
      crcs[index] = await crc32Blob(files[index].blob, (n) => {
        done += n;
        if (onProgress) onProgress(done, total);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, lane));
  for (const [index, file] of files.entries()) {
    const name = encoder.encode(file.name.replace(/^\/+/, ""));
    const size = file.blob.size;
    const crc = crcs[index];
    const big = size >= MAX32;
    const localExtra = big ? 20 : 0;
    const local = new DataView(new ArrayBuffer(30 + name.length + localExtra));
    local.setUint32(0, LOCAL, true);
    local.setUint16(4, big ? 45 : 20, true);
    local.setUint16(6, 0x0800, true);
    local.setUint16(8, 0, true);
    local.setUint16(10, DOS_TIME, true);
    local.setUint16(12, DOS_DATE, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, big ? MAX32 : size, true);
    local.setUint32(22, big ? MAX32 : size, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, localExtra, true);
    new Uint8Array(local.buffer).set(name, 30);
    if (big) {
      const q = 30 + name.length;
      local.setUint16(q, 0x0001, true);
      local.setUint16(q + 2, 16, true);
      local.setBigUint64(q + 4, BigInt(size), true);
      local.setBigUint64(q + 12, BigInt(size), true);
    }
    parts.push(local.buffer, file.blob);
    central.push({ name, crc, size, offset, big });
    offset += local.byteLength + size;
  }

  const cdStart = offset;
  for (const entry of central) {
    const farOffset = entry.offset >= MAX32;
    const extraFields = (entry.big ? 2 : 0) + (farOffset ? 1 : 0);
    const extraLength = extraFields ? 4 + 8 * extraFields : 0;
    const zip64 = extraFields > 0;
    const record = new DataView(new ArrayBuffer(46 + entry.name.length + extraLength));
    record.setUint32(0, CENTRAL, true);
    record.setUint16(4, (3 << 8) | (zip64 ? 45 : 20), true); // made by: UNIX
    record.setUint16(6, zip64 ? 45 : 20, true);
    record.setUint16(8, 0x0800, true);
    record.setUint16(10, 0, true);
    record.setUint16(12, DOS_TIME, true);
    record.setUint16(14, DOS_DATE, true);
    record.setUint32(16, entry.crc, true);
    record.setUint32(20, entry.big ? MAX32 : entry.size, true);
    record.setUint32(24, entry.big ? MAX32 : entry.size, true);
    record.setUint16(28, entry.name.length, true);
    record.setUint16(30, extraLength, true);
    record.setUint16(32, 0, true);
    record.setUint16(34, 0, true);
    record.setUint16(36, 0, true);
    record.setUint32(38, (0o100644 << 16) >>> 0, true);
    record.setUint32(42, farOffset ? MAX32 : entry.offset, true);
    new Uint8Array(record.buffer).set(entry.name, 46);
    if (zip64) {
      let q = 46 + entry.name.length;
      record.setUint16(q, 0x0001, true);
      record.setUint16(q + 2, 8 * extraFields, true);
      q += 4;
      if (entry.big) {
        record.setBigUint64(q, BigInt(entry.size), true);
        record.setBigUint64(q + 8, BigInt(entry.size), true);
        q += 16;
      }
      if (farOffset) record.setBigUint64(q, BigInt(entry.offset), true);
    }
    parts.push(record.buffer);
    offset += record.byteLength;
  }
  const cdSize = offset - cdStart;
  const count = central.length;
  if (count >= MAX16 || cdStart >= MAX32 || cdSize >= MAX32) {
    const z = new DataView(new ArrayBuffer(56 + 20));
    z.setUint32(0, ZIP64_EOCD, true);
    z.setBigUint64(4, 44n, true);
    z.setUint16(12, (3 << 8) | 45, true);
    z.setUint16(14, 45, true);
    z.setUint32(16, 0, true);
    z.setUint32(20, 0, true);
    z.setBigUint64(24, BigInt(count), true);
    z.setBigUint64(32, BigInt(count), true);
    z.setBigUint64(40, BigInt(cdSize), true);
    z.setBigUint64(48, BigInt(cdStart), true);
    z.setUint32(56, ZIP64_LOCATOR, true);
    z.setUint32(60, 0, true);
    z.setBigUint64(64, BigInt(offset), true);
    z.setUint32(72, 1, true);
    parts.push(z.buffer);
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, EOCD, true);
  end.setUint16(8, Math.min(count, MAX16), true);
  end.setUint16(10, Math.min(count, MAX16), true);
  end.setUint32(12, Math.min(cdSize, MAX32), true);
  end.setUint32(16, Math.min(cdStart, MAX32), true);
  parts.push(end.buffer);
  return new Blob(parts, { type: "application/zip" });
}
