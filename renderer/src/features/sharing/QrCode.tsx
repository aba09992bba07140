import QRCode from 'qrcode';
import { useMemo } from 'react';

/** The link as a QR code, drawn as SVG from the qrcode package's module matrix (no data: URL, so the CSP stays as it is). */
export function QrCode({ value, size = 180 }: { value: string; size?: number }) {
  const path = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
    }
    return { d, extent: modules.size + 8 };
  }, [value]);
  return (
    <svg width={size} height={size} viewBox={`0 0 ${path.extent} ${path.extent}`} role="img" aria-label="QR code of the viewer link" data-testid="share-qr" shapeRendering="crispEdges">
      <rect width={path.extent} height={path.extent} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
