"""Reading a subject access ZIP in tests: its members, the JSON, and the PDF's text by page."""

import io
import json
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass


@dataclass
class Copy:
    names: list[str]
    data: dict
    json_text: str
    pdf_pages: list[str]

    @property
    def everything(self) -> str:
        return self.json_text + "\n" + "\n".join(self.pdf_pages)


def pdf_pages(content: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [page for page in text.split("\f") if page.strip()]


def read(content: bytes) -> Copy:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        json_name = next(name for name in names if name.endswith(".json"))
        pdf_name = next(name for name in names if name.endswith(".pdf"))
        json_text = archive.read(json_name).decode()
        pages = pdf_pages(archive.read(pdf_name))
    return Copy(names, json.loads(json_text), json_text, pages)
