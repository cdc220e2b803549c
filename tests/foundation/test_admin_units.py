"""Legacy provinces resolve to the 2025 wards their communes became, from the offline dataset."""

import pytest

from shared.admin_units import (
    UnknownLegacyProvince,
    legacy_provinces,
    legacy_territory,
    units_2025,
)

HAI_DUONG, OLD_HAI_PHONG, BINH_DINH, OLD_GIA_LAI = "30", "31", "52", "64"
HAI_PHONG, GIA_LAI = "31", "52"


def _current_wards(province_code: str) -> frozenset[str]:
    return frozenset(w.code for w in units_2025().wards_of(province_code))


def test_legacy_scheme_has_63_provinces_under_their_own_codes() -> None:
    provinces = legacy_provinces()
    assert len(provinces) == 63
    assert provinces[HAI_DUONG].name == "Tỉnh Hải Dương"
    assert provinces[BINH_DINH].name == "Tỉnh Bình Định"
    assert provinces[OLD_GIA_LAI].name == "Tỉnh Gia Lai"


def test_hai_duong_maps_only_into_hai_phong() -> None:
    territory = legacy_territory(HAI_DUONG)
    assert territory.legacy_name == "Tỉnh Hải Dương"
    assert territory.current_province_codes == {HAI_PHONG}


def test_hai_duong_covers_65_current_wards() -> None:
    assert len(legacy_territory(HAI_DUONG).ward_codes) == 65


def test_hai_duong_every_legacy_ward_is_mapped() -> None:
    assert legacy_territory(HAI_DUONG).unmapped_legacy_wards == frozenset()


def test_old_hai_phong_covers_52_current_wards() -> None:
    territory = legacy_territory(OLD_HAI_PHONG)
    assert territory.current_province_codes == {HAI_PHONG}
    assert len(territory.ward_codes) == 52


def test_hai_duong_and_old_hai_phong_together_cover_exactly_current_hai_phong() -> None:
    union = legacy_territory(HAI_DUONG).ward_codes | legacy_territory(OLD_HAI_PHONG).ward_codes
    assert union == _current_wards(HAI_PHONG)
    assert len(union) == 114


def test_hai_duong_and_old_hai_phong_share_three_wards_through_xa_hoa_binh() -> None:
    """Upstream splits both same-named Xã Hòa Bình (Kim Thành, HD; Vĩnh Bảo, HP) over the same
    three wards (Kim Thành, Hà Nam, Nguyễn Bỉnh Khiêm), so 65 + 52 overlaps to the real 114.
    """
    shared = ("10804", "10843", "11911")
    assert legacy_territory(HAI_DUONG).shared_wards == {w: {OLD_HAI_PHONG} for w in shared}
    assert legacy_territory(OLD_HAI_PHONG).shared_wards == {w: {HAI_DUONG} for w in shared}


def test_binh_dinh_maps_only_into_current_gia_lai_over_58_wards() -> None:
    territory = legacy_territory(BINH_DINH)
    assert territory.legacy_name == "Tỉnh Bình Định"
    assert territory.current_province_codes == {GIA_LAI}
    assert len(territory.ward_codes) == 58
    assert territory.unmapped_legacy_wards == frozenset()


def test_old_gia_lai_maps_into_current_gia_lai_over_77_wards() -> None:
    territory = legacy_territory(OLD_GIA_LAI)
    assert territory.legacy_name == "Tỉnh Gia Lai"
    assert territory.current_province_codes == {GIA_LAI}
    assert len(territory.ward_codes) == 77
    assert territory.unmapped_legacy_wards == frozenset()


def test_binh_dinh_and_old_gia_lai_are_disjoint_and_cover_current_gia_lai() -> None:
    binh_dinh, old_gia_lai = legacy_territory(BINH_DINH), legacy_territory(OLD_GIA_LAI)
    assert binh_dinh.ward_codes.isdisjoint(old_gia_lai.ward_codes)
    assert binh_dinh.shared_wards == {}
    assert old_gia_lai.shared_wards == {}
    assert binh_dinh.ward_codes | old_gia_lai.ward_codes == _current_wards(GIA_LAI)


@pytest.mark.parametrize(
    ("first", "second"), [(HAI_DUONG, OLD_HAI_PHONG), (BINH_DINH, OLD_GIA_LAI)]
)
def test_overlapping_territories_list_each_other_in_shared_wards(first: str, second: str) -> None:
    a, b = legacy_territory(first), legacy_territory(second)
    for ward_code in a.ward_codes & b.ward_codes:
        assert second in a.shared_wards[ward_code]
        assert first in b.shared_wards[ward_code]


def test_shared_wards_are_within_territory_and_never_name_itself() -> None:
    for code in legacy_provinces():
        territory = legacy_territory(code)
        assert territory.shared_wards.keys() <= territory.ward_codes
        assert all(code not in others for others in territory.shared_wards.values())


def test_every_legacy_province_maps_every_ward_into_one_current_province() -> None:
    for code in legacy_provinces():
        territory = legacy_territory(code)
        assert territory.unmapped_legacy_wards == frozenset(), code
        assert len(territory.current_province_codes) == 1, code


def test_every_current_ward_comes_from_some_legacy_province() -> None:
    covered = frozenset().union(*(legacy_territory(c).ward_codes for c in legacy_provinces()))
    assert covered == units_2025().wards.keys()


def test_island_district_without_wards_maps_to_its_special_zone() -> None:
    """Bạch Long Vĩ had no communes; it became the special zone of the same name."""
    assert "11948" in legacy_territory(OLD_HAI_PHONG).ward_codes
    assert units_2025().wards["11948"].name == "Đặc khu Bạch Long Vĩ"


def test_territory_is_read_only() -> None:
    shared_wards = legacy_territory(HAI_DUONG).shared_wards
    with pytest.raises(TypeError):
        shared_wards["00000"] = frozenset()  # type: ignore[index]


@pytest.mark.parametrize("code", ["99", "3", "030", ""])
def test_unknown_legacy_code_raises_lookup_error(code: str) -> None:
    with pytest.raises(UnknownLegacyProvince, match="no legacy province"):
        legacy_territory(code)
    assert issubclass(UnknownLegacyProvince, LookupError)
