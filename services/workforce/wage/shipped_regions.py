"""The ward wage regions this product ships, and how they were derived.

Decree 74/2024/NĐ-CP sets the minimum-wage region of each legacy district from 01/07/2024.
The 2025 wards did not exist then, so a ward's region for 01/07/2024–31/12/2025 can be stated
only when every commune its area came from lay in districts of one region; such wards are
shipped. A ward formed from districts of different regions is left out: what applied to a
facility there depended on which former commune it stood in, and the rule for merged areas
after 07/2025 is not one we could confirm. From 01/01/2026 a new decree lists regions by 2025
commune; that list is loaded by the province (POST /imports/ward-wage-regions), not guessed.

Only the districts of the legacy provinces behind Hải Phòng (31) and Gia Lai (52), where the
seed plans are reported, are listed here. `python -m services.workforce.wage.shipped_regions`
prints the CSV the migration loads; a test checks the two agree.
"""

import csv
import sys
from datetime import date

from shared.admin_units import legacy_communes, predecessors, units_2025

LEGAL_SOURCE = "Nghị định 74/2024/NĐ-CP (vùng của các xã, phường trước 01/07/2025)"
VALID_FROM = date(2024, 7, 1)
VALID_TO = date(2025, 12, 31)  # replaced by the decree for 2025 communes from 01/01/2026
PROVINCES = ("31", "52")

# Decree 74/2024/NĐ-CP, appendix, by legacy district code; a province's other districts
# take its `rest` region.
DISTRICT_REGIONS: dict[str, dict[str, int]] = {
    # Hải Dương: TP Hải Dương I; Chí Linh, Kinh Môn, Nam Sách, Kim Thành, Cẩm Giàng,
    # Bình Giang, Gia Lộc, Tứ Kỳ II; Thanh Hà, Ninh Giang, Thanh Miện III.
    "30": {
        "288": 1,
        "290": 2,
        "291": 2,
        "292": 2,
        "293": 2,
        "295": 2,
        "296": 2,
        "297": 2,
        "298": 2,
        "294": 3,
        "299": 3,
        "300": 3,
    },
    # Hải Phòng: the urban districts and every rural one but Bạch Long Vĩ are region I.
    "31": {"318": 2, "rest": 1},
    # Bình Định: Quy Nhơn, a provincial city, III; the rest IV.
    "52": {"540": 3, "rest": 4},
    # Gia Lai (before the merger): Pleiku III; the rest IV.
    "64": {"622": 3, "rest": 4},
}


def _region(province_code: str, district_code: str) -> int | None:
    table = DISTRICT_REGIONS.get(province_code)
    if table is None:
        return None
    return table.get(district_code, table.get("rest"))


def shipped_rows() -> list[dict[str, str]]:
    """One row per ward of PROVINCES whose former communes all had the same region."""
    assert legacy_communes()  # loads the dataset before the loop below
    rows = []
    for province in PROVINCES:
        for ward in sorted(units_2025().wards_of(province), key=lambda w: w.code):
            regions = {_region(c.province_code, c.district_code) for c in predecessors(ward.code)}
            if len(regions) != 1 or None in regions:
                continue
            rows.append(
                {
                    "ward_code": ward.code,
                    "province_code": province,
                    "region": str(regions.pop()),
                    "valid_from": VALID_FROM.isoformat(),
                    "valid_to": VALID_TO.isoformat(),
                    "legal_source": LEGAL_SOURCE,
                }
            )
    return rows


FIELDS = ["ward_code", "province_code", "region", "valid_from", "valid_to", "legal_source"]


def main() -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(shipped_rows())


if __name__ == "__main__":
    main()
