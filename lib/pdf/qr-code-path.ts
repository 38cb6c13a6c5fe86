import QRCode from "qrcode";

/** A QR code as one SVG path of unit squares, with its quiet zone: draw it in a `size × size` viewBox. */
export type QrCodePath = { size: number; path: string };

/**
 * The QR code of `text` (error correction M, a one-module quiet zone) as vector squares: printed
 * sharp at any size, and far cheaper to put in a PDF than a PNG (no PNG to encode, decode and
 * compress again for every invoice). Horizontal runs of dark modules are one rectangle each.
 */
export function qrCodePath(text: string): QrCodePath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const margin = 1;
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column++;
      parts.push(`M${start + margin} ${row + margin}h${column - start}v1h-${column - start}z`);
    }
  }
  return { size: modules.size + 2 * margin, path: parts.join("") };
}
