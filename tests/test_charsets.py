"""Identifying values written in other character sets than ASCII are removed, and found by
the residue check, as ASCII ones are; the output's Specific Character Set matches its bytes.

Each synthetic file declares its Specific Character Set (0008,0005) and holds obviously fake
PHI in that script: ISO_IR 100 (Latin-1), ISO_IR 192 (UTF-8), GB18030 and ISO 2022 IR 87
(Japanese: JIS X 0208 in ISO 2022 escape sequences). pydicom encodes them.
"""

from __future__ import annotations

import io
import warnings

import pydicom
import pytest
from pydicom.charset import convert_encodings, encode_string

from anonymizer import RefusedError, anonymize
from anonymizer.rules import KEEP, Rule
from synthetic import CT, make_dataset, to_bytes

CHARSETS = {
    "latin-1": {
        "charset": "ISO_IR 100",
        "PatientName": "FÄKEMÜLLER^HÉLÈNE",
        "PatientID": "FÄKE-ÖÜ-0001",
        "InstitutionName": "KLINIK FÄKE NIRGENDWO",
        "PatientAddress": "FÄKESTRASSE 1, NIRGENDWO",
        "OtherPatientNames": "FÄKEÖTHER^BÉATRICE",
        "SeriesDescription": "IRM TÊTE AXIALE",
        "ConvolutionKernel": "NOYAU-Ê30",
        "family": "FÄKEMÜLLER", "folded": "fäkemüller",
    },
    "utf-8": {
        "charset": "ISO_IR 192",
        "PatientName": "假山田^花子",
        "PatientID": "患者-0001",
        "InstitutionName": "假医院 ÜBERALL",
        "PatientAddress": "假街 1 号",
        "OtherPatientNames": "Фейкова^Анна",
        "SeriesDescription": "頭部 CT Ω",
        "ConvolutionKernel": "核 B30 Ω",
        "family": "假山田", "folded": "假山田",
    },
    "gb18030": {
        "charset": "GB18030",
        "PatientName": "假王^小明",
        "PatientID": "病人-0001",
        "InstitutionName": "北京假医院",
        "PatientAddress": "假路 9 号",
        "OtherPatientNames": "假李^小红",
        "SeriesDescription": "胸部 平扫",
        "ConvolutionKernel": "卷积核B30",
        "family": "假王", "folded": "假王",
    },
    "iso-2022-ir-87": {
        "charset": ["", "ISO 2022 IR 87"],
        "PatientName": "Yamada^Tarou=偽山田^太郎=にせやまだ^たろう",
        "PatientID": "患者０００１",
        "InstitutionName": "偽病院",
        "PatientAddress": "偽町 一丁目",
        "OtherPatientNames": "偽鈴木^花子",
        "SeriesDescription": "頭部 単純",
        "ConvolutionKernel": "カーネルB30",
        "family": "偽山田", "folded": "偽山田",
    },
}
PLANTED = ("PatientName", "PatientID", "InstitutionName", "PatientAddress", "OtherPatientNames")


def planted(name: str, **extra) -> bytes:
    spec = CHARSETS[name]
    ds = make_dataset(CT, patient=spec["PatientName"], patient_id=spec["PatientID"],
                      extra={"ProcedureCodeSequence": None, **extra})
    ds.SpecificCharacterSet = spec["charset"]
    for keyword in ("InstitutionName", "PatientAddress", "OtherPatientNames", "SeriesDescription", "ConvolutionKernel"):
        setattr(ds, keyword, extra.get(keyword, spec[keyword]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydicom must be able to encode every value
        return to_bytes(ds)


def encodings_of(name: str) -> list[str]:
    charset = CHARSETS[name]["charset"]
    return convert_encodings(charset)


def pieces(value: str) -> list[str]:
    """The parts of a planted value that must not survive: whole and by name component."""
    parts = {value}
    for group in value.split("="):
        parts.update(p for p in group.split("^") if len(p) >= 2)
    return sorted(parts)


@pytest.mark.parametrize("profile", ["radiopaedia", "basic"])
@pytest.mark.parametrize("name", CHARSETS)
def test_phi_in_each_character_set_is_removed(name, profile):
    data = planted(name)
    spec = CHARSETS[name]
    before = pydicom.dcmread(io.BytesIO(data))
    assert (before.PatientName, before.InstitutionName) == (spec["PatientName"], spec["InstitutionName"])

    result = anonymize(data, profile=profile)
    output = result.to_bytes()

    after = pydicom.dcmread(io.BytesIO(output))
    text = "\n".join(str(e.value) for e in after.iterall() if e.VR not in ("SQ", "OB", "OW", "UN"))
    for keyword in PLANTED:
        for piece in pieces(spec[keyword]):
            assert piece not in text, (keyword, piece)
            for codec in ("utf-8", "gb18030", "latin-1", "iso2022_jp"):
                try:
                    encoded = piece.encode(codec)
                except UnicodeEncodeError:
                    continue
                if len(encoded) >= 4:
                    assert encoded not in output, (keyword, piece, codec)
    assert result.report()["residue_check"]["found"] == 0


@pytest.mark.parametrize("profile", ["radiopaedia", "basic"])
@pytest.mark.parametrize("name", CHARSETS)
def test_the_output_character_set_matches_what_it_holds(name, profile):
    spec = CHARSETS[name]

    output = anonymize(planted(name), profile=profile).to_bytes()

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a byte that does not decode in the declared set would warn
        after = pydicom.dcmread(io.BytesIO(output))
        declared = after.SpecificCharacterSet
        kept = after.ConvolutionKernel  # kept by both profiles
        for element in after.iterall():
            element.value  # every text decodes in the declared character set
    assert (list(declared) if not isinstance(declared, str) else declared) == spec["charset"]
    assert kept == spec["ConvolutionKernel"]  # kept text reads back as it was written
    assert encode_string(spec["ConvolutionKernel"], encodings_of(name)) in output


@pytest.mark.parametrize("name", CHARSETS)
def test_the_residue_check_finds_a_kept_id_in_each_character_set(bent_policy, name):
    bent_policy({0x00100020: Rule("(0010,0020)", "PatientID", KEEP, "simulated policy bug")})

    with pytest.raises(RefusedError) as error:
        anonymize(planted(name))

    assert [(f.path, f.message) for f in error.value.findings] == [
        ("(0010,0020)", "residue check: the value of Patient ID (0010,0020) in the input is still in the output here")]
    assert CHARSETS[name]["PatientID"] not in str(error.value)


@pytest.mark.parametrize("name", CHARSETS)
def test_the_residue_check_finds_a_family_name_in_kept_text_in_each_character_set(name):
    spec = CHARSETS[name]
    data = planted(name, SeriesDescription=f"CT {spec['folded']} 2")

    with pytest.raises(RefusedError) as error:
        anonymize(data)

    assert [(f.path, f.message) for f in error.value.findings] == [
        ("(0008,103E)", "residue check: the value of Patient's Name (0010,0010) in the input is still in the output here")]


@pytest.mark.parametrize("name", ["latin-1", "utf-8"])
def test_case_is_ignored_beyond_ascii(name):
    spec = CHARSETS[name]
    data = planted(name, SeriesDescription=f"CT {spec['family'].lower()}")

    with pytest.raises(RefusedError):
        anonymize(data)


def test_a_name_in_a_nested_item_with_its_own_character_set_is_found(bent_policy):
    # an item may declare its own Specific Character Set; the check decodes each in its own
    ds = make_dataset(CT, extra={"ProcedureCodeSequence": None})
    item = pydicom.Dataset()
    item.SpecificCharacterSet = "ISO_IR 192"
    item.PatientID = "患者-0042"
    ds.OtherPatientIDsSequence = [item]
    bent_policy({0x00101002: Rule("(0010,1002)", "OtherPatientIDsSequence", KEEP, "simulated policy bug"),
                 0x00100020: Rule("(0010,0020)", "PatientID", KEEP, "simulated policy bug")})

    with pytest.raises(RefusedError) as error:
        anonymize(to_bytes(ds))

    assert "(0010,1002)[0].(0010,0020)" in [f.path for f in error.value.findings]
