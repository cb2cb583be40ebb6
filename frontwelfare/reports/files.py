"""Report files are written whole under a temporary name, then renamed: a reader never finds
half a file, and a worker killed while writing leaves only a ``.part``, which reports.services.report_build
clears when it makes the report again."""

import os
import shutil
import uuid
from pathlib import Path
from typing import IO

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage


def store_whole(name: str, content: bytes | IO[bytes]) -> str:
    """Store ``content`` (bytes, or a binary file read from where it stands) as ``name``
    (replacing what was there); returns the stored name."""
    try:
        final = Path(default_storage.path(name))
    except NotImplementedError:
        # An object store (S3) makes an object visible only once it is whole.
        default_storage.delete(name)
        return default_storage.save(name, ContentFile(content) if isinstance(content, bytes) else File(content))
    final.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer: two runs of the same report at once each rename a whole file.
    partial = final.with_name(f"{final.name}.{uuid.uuid4().hex[:8]}.part")
    if isinstance(content, bytes):
        partial.write_bytes(content)
    else:
        with partial.open("wb") as stored:
            shutil.copyfileobj(content, stored)
    os.replace(partial, final)
    for left_behind in final.parent.glob(f"{final.name}*.part"):  # by a worker killed while writing
        left_behind.unlink(missing_ok=True)
    return name
