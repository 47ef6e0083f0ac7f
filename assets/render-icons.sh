#!/bin/sh
# Renders the window icons from the rectangles of sparsimony-icon.svg with ImageMagick's -draw (no SVG delegate
# needed); run only when the icon changes.
set -e
cd "$(dirname "$0")"
out=../src/main/resources/dev/sparsimony/app
draw=$(sed -n 's/.*<rect x="\([0-9]*\)" y="\([0-9]*\)" width="\([0-9]*\)" height="\([0-9]*\)" rx="\([0-9]*\)" fill="\(#[0-9a-f]*\)".*/fill \6 roundrectangle \1,\2 \1+\3,\2+\4 \5,\5/p' sparsimony-icon.svg |
  awk '{split($4,a,","); split($5,b,"[,+]"); printf "fill %s roundrectangle %d,%d %d,%d %s ", $2, a[1], a[2], b[1]+b[2]-1, b[3]+b[4]-1, $6}')
convert -size 128x128 xc:none -draw "$draw" "$out/icon-128.png"
for s in 16 32 64; do
  convert "$out/icon-128.png" -resize ${s}x${s} "$out/icon-$s.png"
done
