"""deid (pydicom/deid) as a command: ``deid_run.py INPUT OUTPUT_DIR``, its default DICOM recipe,
private tags removed. Run by benchmarks/run.py in benchmarks/.venv-peers."""

import sys
from pathlib import Path

from deid.dicom import replace_identifiers

source, output = Path(sys.argv[1]), Path(sys.argv[2])
files = [str(p) for p in sorted(source.rglob("*")) if p.is_file()] if source.is_dir() else [str(source)]
done = replace_identifiers(files, save=True, output_folder=str(output), overwrite=True, remove_private=True)
print(f"deid: {len(done)} of {len(files)} file(s)", file=sys.stderr)
