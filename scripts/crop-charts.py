"""Crops every chart of the general audience's PDFs as the page shows it (title to note), one PNG per chart and locale.

Usage: python3 scripts/crop-charts.py OUT_DIR DEST_DIR  (OUT_DIR: a build's out/; needs poppler-utils, Pillow, PyYAML)
"""
import glob, os, re, subprocess, sys, tempfile
import yaml
from PIL import Image

out, dest = sys.argv[1:3]
root = os.path.join(os.path.dirname(__file__), "..")
DPI, PT = 110, 110 / 72
SIDEBAR_X = (0.75 + 4.55 + 0.1) * 72  # words right of this are in the sidebar
NOTE_WORDS = ("Note", "Notes", "Source", "Sources", "Nota", "Notas", "Fuente", "Fuentes", "Remarque", "Remarques")
os.makedirs(dest, exist_ok=True)

def words(pdf):
    xml = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    pages, page = [], None
    for line in xml.splitlines():
        if "<page " in line:
            page = []
            pages.append(page)
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m and page is not None:
            # A no-break space joins two words in one box: each is a word here, and apostrophes are compared plain.
            for part in m[5].replace("\u2019", "'").replace("&apos;", "'").split():
                page.append((float(m[1]), float(m[2]), float(m[3]), float(m[4]), part))
    return pages

for tag in ["en-US", "es-MX", "fr-CA"]:
    titles = {k: v["title"] for k, v in yaml.safe_load(open(f"{root}/locales/{tag}/charts.yaml")).items()
              if isinstance(v, dict) and "title" in v}
    done = set()
    for pdf in sorted(glob.glob(f"{out}/{tag}/general/*.pdf")):
        if "pack" in pdf:
            continue
        pages = words(pdf)
        for cid, title in titles.items():
            if cid in done:
                continue
            head = re.sub(r"\{[^}]*\}", "", title).replace("\u2019", "'").split()[:4]
            for p, ws in enumerate(pages):
                texts = [w[4] for w in ws]
                at = next((i for i in range(len(ws) - 3) if texts[i:i + 4] == head), None)
                if at is None:
                    continue
                top = ws[at][1]
                notes = [w for w in ws if w[1] > top and w[4].rstrip(":.") in NOTE_WORDS]
                if not notes:
                    continue
                first = min(notes, key=lambda w: w[1])
                side = first[0] > SIDEBAR_X
                # The note's block: its words on lines no more than 12 pt apart, in the same column.
                block = [w for w in ws if (w[0] > SIDEBAR_X) == side and w[1] >= first[1] - 1]
                block.sort(key=lambda w: w[1])
                bottom = first[3]
                for w in block:
                    if w[1] - bottom > 6:
                        break
                    bottom = max(bottom, w[3])
                with tempfile.TemporaryDirectory() as d:
                    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(p + 1), "-l", str(p + 1), pdf, f"{d}/p"], check=True)
                    img = Image.open(glob.glob(f"{d}/p*.png")[0])
                    box = (int(48 * PT), int((top - 8) * PT), int((612 - 48) * PT), int((bottom + 8) * PT))
                    img.crop(box).save(f"{dest}/{cid}.{tag}.png", optimize=True)
                done.add(cid)
                print(tag, cid, os.path.basename(pdf), "page", p + 1)
                break
