#!/usr/bin/env python3
"""Independent check of an OpenRaster (.ora) file written by Semantic Soft Segments.

Checks the container (first entry ``mimetype``, stored uncompressed, content
``image/openraster``), reads ``stack.xml``, decodes every layer PNG with the small
PNG decoder below (zlib + struct + numpy only; no PIL), composites the stack with
``svg:src-over`` from the bottom layer to the top one (straight alpha, in the stored
values), and prints the largest deviation of the composite from ``mergedimage.png``.

Usage:  scripts/check-ora.py FILE.ora [--tolerance 2]   (tolerance in 1/255 units)
Exit code 0 when the composite is within the tolerance everywhere, 1 otherwise,
2 when the file is not a valid OpenRaster file as far as checked here.
"""
import argparse
import struct
import sys
import zipfile
import zlib
import xml.etree.ElementTree as ET

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (no palettes)


class Invalid(Exception):
    pass


def decode_png(data):
    """PNG bytes -> float64 array (height, width, 4) RGBA in [0,1], and the bit depth."""
    if data[:8] != PNG_SIGNATURE:
        raise Invalid("not a PNG")
    pos, header, idat = 8, None, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise Invalid("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise Invalid("no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if colour not in CHANNELS or depth not in (8, 16):
        raise Invalid("colour type %d / %d bits not handled by this checker" % (colour, depth))
    if interlace:
        raise Invalid("interlaced PNG not handled by this checker")
    samples = CHANNELS[colour]
    bpp = samples * depth // 8
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) != height * (stride + 1):
        raise Invalid("image data has %d bytes, expected %d" % (len(raw), height * (stride + 1)))
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 0:
            pass
        elif kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray(((np.frombuffer(bytes(line), np.uint8).astype(np.uint16) +
                               np.frombuffer(bytes(prev), np.uint8)) & 255).astype(np.uint8).tobytes())
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        else:
            raise Invalid("unknown filter type %d" % kind)
        out[y * stride:(y + 1) * stride] = line
        prev = line
    dtype = ">u2" if depth == 16 else np.uint8
    pixels = np.frombuffer(bytes(out), dtype=dtype).reshape(height, width, samples).astype(np.float64)
    pixels /= (1 << depth) - 1
    rgba = np.ones((height, width, 4))
    if samples in (1, 2):
        rgba[..., :3] = pixels[..., :1]
    else:
        rgba[..., :3] = pixels[..., :3]
    if samples in (2, 4):
        rgba[..., 3] = pixels[..., -1]
    return rgba, depth


def layers_bottom_up(stack):
    """<layer> elements of a <stack>, bottom one first (stack.xml lists the top one first)."""
    result = []
    for child in reversed(list(stack)):
        if child.tag == "stack":
            result.extend(layers_bottom_up(child))  # nested stacks flattened (not isolated)
        elif child.tag == "layer":
            result.append(child)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ora")
    parser.add_argument("--tolerance", type=float, default=2.0, help="in 1/255 units (default 2)")
    args = parser.parse_args()
    with zipfile.ZipFile(args.ora) as z:
        infos = z.infolist()
        first = infos[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
            raise Invalid("first entry is %r (method %d), expected 'mimetype' stored" %
                          (first.filename, first.compress_type))
        with open(args.ora, "rb") as f:
            head = f.read(38 + 16)
        if head[30:38] != b"mimetype" or head[38:54] != b"image/openraster":
            raise Invalid("mimetype entry not at the start of the file with content image/openraster")
        print("container: first entry 'mimetype' stored, content %r" % z.read("mimetype").decode("ascii"))
        print("entries: " + ", ".join(i.filename for i in infos))
        root = ET.fromstring(z.read("stack.xml"))
        if root.tag != "image":
            raise Invalid("stack.xml root is <%s>, expected <image>" % root.tag)
        width, height = int(root.get("w")), int(root.get("h"))
        stack = root.find("stack")
        if stack is None:
            raise Invalid("stack.xml has no <stack>")
        premul = np.zeros((height, width, 3))
        alpha = np.zeros((height, width))
        for layer in layers_bottom_up(stack):
            op = layer.get("composite-op", "svg:src-over")
            if op != "svg:src-over":
                raise Invalid("layer %r: composite-op %s not handled by this checker" % (layer.get("name"), op))
            rgba, depth = decode_png(z.read(layer.get("src")))
            h, w = rgba.shape[:2]
            x0, y0 = int(layer.get("x", "0")), int(layer.get("y", "0"))
            visible = layer.get("visibility", "visible") == "visible"
            opacity = float(layer.get("opacity", "1.0"))
            print("layer %-24r %s %dx%d at (%d,%d) %d-bit, opacity %s, %s, alpha mean %.3f" % (
                layer.get("name"), layer.get("src"), w, h, x0, y0, depth, opacity,
                "visible" if visible else "hidden", rgba[..., 3].mean()))
            if not visible:
                continue
            a = rgba[..., 3] * opacity
            region = (slice(y0, y0 + h), slice(x0, x0 + w))
            premul[region] = a[..., None] * rgba[..., :3] + (1 - a[..., None]) * premul[region]
            alpha[region] = a + (1 - a) * alpha[region]
        colour = premul / np.maximum(alpha, 1e-12)[..., None]
        merged, _ = decode_png(z.read("mergedimage.png"))
        if merged.shape[:2] != (height, width):
            raise Invalid("mergedimage.png is %dx%d, stack.xml says %dx%d" % (
                merged.shape[1], merged.shape[0], width, height))
        thumb, _ = decode_png(z.read("Thumbnails/thumbnail.png"))
        print("mergedimage.png %dx%d, thumbnail %dx%d" % (width, height, thumb.shape[1], thumb.shape[0]))
        if max(thumb.shape[:2]) > 256:
            raise Invalid("thumbnail larger than 256 pixels")
        deviation = np.abs(colour - merged[..., :3]).max(axis=2) * 255
        print("composite alpha: min %.6f (1 = opaque)" % alpha.min())
        print("composite vs mergedimage.png: max %.3f/255, mean %.3f/255, pixels above %.1f/255: %d of %d" % (
            deviation.max(), deviation.mean(), args.tolerance, int((deviation > args.tolerance).sum()),
            deviation.size))
        return 0 if deviation.max() <= args.tolerance else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (Invalid, KeyError, zipfile.BadZipFile, ET.ParseError) as e:
        print("invalid OpenRaster file: %s" % e, file=sys.stderr)
        sys.exit(2)
