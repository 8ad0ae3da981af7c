"""Pinyin readings of matter texts and normalisation of what applicants type."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin, load_phrases_dict, pinyin

# Phrases pypinyin 0.55.0 reads wrongly (checked one by one), as `word: "syllables with tones"`.
READING_CORRECTIONS: dict[str, str] = {
    "调休": "tiáo xiū",  # pypinyin: diào xiū
    "还款": "huán kuǎn",  # pypinyin: hái kuǎn
    "综合所得": "zōng hé suǒ dé",  # pypinyin: … suǒ de
    "个人所得": "gè rén suǒ dé",
    "经营所得": "jīng yíng suǒ dé",
    "应纳税所得": "yīng nà shuì suǒ dé",
}

# Characters read more than one way in everyday words (多音字), with the readings worth
# indexing. Where pypinyin's heteronym mode (which knows phrases) leaves a character open,
# these readings are indexed besides the phrase-correct one; the rare readings it also
# lists (失 yì, 活 guō, 税 tuō…) are not, as nobody types them and they only add noise.
_HETERONYM_TABLE = """
行:xing,hang 重:zhong,chong 长:zhang,chang 调:diao,tiao 还:hai,huan 朝:chao,zhao 乐:le,yue
传:chuan,zhuan 便:bian,pian 和:he,huo 着:zhe,zhao,zhuo 藏:cang,zang 校:xiao,jiao
觉:jue,jiao 降:jiang,xiang 数:shu,shuo 差:cha,chai,ci 参:can,shen,cen 都:dou,du 会:hui,kuai
省:sheng,xing 单:dan,shan,chan 给:gei,ji 得:de,dei 率:lv,shuai 强:qiang,jiang 没:mei,mo
系:xi,ji 称:cheng,chen 恶:e,wu 盛:sheng,cheng 模:mo,mu 属:shu,zhu 宿:su,xiu 露:lu,lou
弹:dan,tan 区:qu,ou 朴:pu,piao,po 查:cha,zha 沈:shen,chen 解:jie,xie 度:du,duo 大:da,dai
地:di,de 了:le,liao 劲:jin,jing 血:xue,xie 石:shi,dan 仇:chou,qiu 塞:sai,se 曾:ceng,zeng
秘:mi,bi 薄:bao,bo 剥:bo,bao 壳:ke,qiao 色:se,shai 绿:lv,lu 厦:sha,xia 提:ti,di 车:che,ju
说:shuo,shui 期:qi,ji 似:si,shi 落:luo,lao,la 否:fou,pi 种:zhong,chong 将:jiang,qiang
卡:ka,qia
"""
COMMON_HETERONYMS: dict[str, frozenset[str]] = {
    entry[0]: frozenset(entry[2:].split(",")) for entry in _HETERONYM_TABLE.split()
}

MAX_QUERY_CHARS = 48

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_SEGMENT = re.compile(f"[{_HAN}]+|[a-z]+|[0-9]+")
_KEEP = re.compile(f"[{_HAN}a-z0-9]+")
_registered = False


def register_corrections() -> None:
    """Teach pypinyin the phrases it reads wrongly; calling it again does nothing."""
    global _registered
    if _registered:
        return
    load_phrases_dict(
        {
            word: [[syllable] for syllable in tones.split()]
            for word, tones in READING_CORRECTIONS.items()
        }
    )
    _registered = True


def is_han(char: str) -> bool:
    """Whether a character is Chinese.

    Args:
        char: One character.

    Returns:
        True for a CJK unified ideograph (any extension) or 〇.
    """
    return bool(_HAN_CHAR.fullmatch(char))


def normalize_query(text: str) -> str:
    """What the search compares: lower case, no spaces, tones or punctuation, ü as v.

    Args:
        text: Whatever the applicant typed (Chinese, pinyin, full-width letters, tone marks).

    Returns:
        Chinese characters, a-z and 0-9 only, at most MAX_QUERY_CHARS of them.
    """
    return normalize_text(text)[:MAX_QUERY_CHARS]


def normalize_text(text: str) -> str:
    """Like normalize_query but without the length cap (also applied to catalogue texts).

    Args:
        text: Any text.

    Returns:
        Chinese characters, a-z and 0-9 only.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "v").replace("u:", "v")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(_KEEP.findall(unicodedata.normalize("NFC", text)))


@lru_cache(maxsize=65536)
def term_units(text: str) -> tuple[tuple[str, ...], ...]:
    """The units of a name, keyword or alias, each with the readings it can be typed as.

    A Chinese character is one unit whose readings are the phrase-correct pinyin first
    (pypinyin with READING_CORRECTIONS), then those of its COMMON_HETERONYMS readings that
    pypinyin's heteronym mode still allows in this phrase (行 alone: xing, hang; 银行: hang
    only); `ü` is written `v` and also `u`. A run of Latin letters or of digits is one unit
    read as itself; punctuation is dropped.

    Args:
        text: A matter name, keyword or alias.

    Returns:
        One tuple of readings per unit; a character pypinyin cannot read has none.
    """
    register_corrections()
    units: list[tuple[str, ...]] = []
    for segment in _SEGMENT.findall(normalize_text(text)):
        if not is_han(segment[0]):
            units.append((segment,))
            continue
        primary = lazy_pinyin(segment, style=Style.NORMAL, errors=_unreadable)
        every = pinyin(segment, style=Style.NORMAL, heteronym=True, errors=_unreadable_lists)
        for char, first, others in zip(segment, primary, every, strict=True):
            common = COMMON_HETERONYMS.get(char, frozenset())
            readings = [first, *(r for r in others if r in common)]
            readings += [r.replace("v", "u") for r in readings if "v" in r]
            units.append(tuple(r for r in dict.fromkeys(readings) if r.isascii() and r.isalpha()))
    return tuple(units)


def full_pinyin(text: str) -> str:
    """The phrase-correct full pinyin of a text, no spaces (`营业执照` → `yingyezhizhao`).

    Args:
        text: Any text; non-Chinese letters and digits are kept, lower-cased.

    Returns:
        The pinyin an applicant would type for it.
    """
    return "".join(unit[0] for unit in term_units(text) if unit)


def initials(text: str) -> str:
    """The pinyin initials of a text (`营业执照` → `yyzz`), from pypinyin's FIRST_LETTER style.

    Args:
        text: Any text; a run of Latin letters or digits stays whole.

    Returns:
        One letter per Chinese character plus the other runs as they are.
    """
    register_corrections()
    out = []
    for segment in _SEGMENT.findall(normalize_text(text)):
        if is_han(segment[0]):
            out += lazy_pinyin(segment, style=Style.FIRST_LETTER, errors=_unreadable)
        else:
            out.append(segment)
    return "".join(out)


def _no_readings(chars: str) -> list[str]:
    return [""] * len(chars)


def _no_reading_lists(chars: str) -> list[list[str]]:
    return [[""] for _ in chars]


# pypinyin accepts a callable returning one item per character (its stubs say str): this
# keeps one reading per character where unreadable characters would otherwise be merged.
_unreadable: Any = _no_readings
_unreadable_lists: Any = _no_reading_lists
