"""Before/after contact sheets: the baseline's pages (top row) above the current pages (bottom row)."""
# Usage: python3 scripts/before-after.py BEFORE_OUT AFTER_OUT docs/house-style  (needs poppler-utils and Pillow)
import glob, os, subprocess, sys, tempfile
from PIL import Image, ImageDraw, ImageFont
before_root, after_root, out_dir = sys.argv[1:4]
jobs = [("food-security", "general", "brief-food-security"), ("executive-summary", "general", "executive-summary"),
        ("state-tx", "private-sector", "state-tx")]
font = ImageFont.truetype(glob.glob(os.path.join(os.path.dirname(__file__), "..", "fonts", "**", "Lato-Bold.ttf"), recursive=True)[0], 22)
def pages(pdf):
    d = tempfile.mkdtemp()
    subprocess.run(["pdftoppm", "-png", "-r", "40", pdf, f"{d}/p"], check=True)
    return [Image.open(f).convert("RGB") for f in sorted(glob.glob(f"{d}/p-*.png"))]
for name, aud, doc in jobs:
    for tag in ["en-US", "es-MX", "fr-CA"]:
        rows = [("Before (be2c97e)", pages(f"{before_root}/{tag}/{aud}/{doc}.pdf")),
                ("After", pages(f"{after_root}/{tag}/{aud}/{doc}.pdf"))]
        w, h = rows[0][1][0].size
        cols = max(len(r[1]) for r in rows)
        pad, label = 10, 34
        sheet = Image.new("RGB", (cols * (w + pad) + pad, 2 * (h + label + pad) + pad), "#d9d9d9")
        draw = ImageDraw.Draw(sheet)
        for r, (title, ims) in enumerate(rows):
            y = pad + r * (h + label + pad)
            draw.text((pad, y + 4), f"{title}: {doc}, {tag}, {len(ims)} page(s)", fill="black", font=font)
            for i, im in enumerate(ims):
                sheet.paste(im, (pad + i * (w + pad), y + label))
        sheet.save(f"{out_dir}/{name}-{tag}.png", optimize=True)
        print(name, tag, [len(r[1]) for r in rows])
