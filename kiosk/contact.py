"""How to reach the clinic: phone numbers as links any phone can dial."""

import re


def tel_href(phone: str, country_code: str = "61") -> str:
    """`tel:` link in international form: '0425 444 304' becomes 'tel:+61425444304'."""
    digits = re.sub(r"[^\d+]", "", phone)
    if digits.startswith("+"):
        return "tel:" + digits
    if digits.startswith("00"):
        return "tel:+" + digits[2:]
    if digits.startswith("0"):
        return f"tel:+{country_code}{digits[1:]}"
    return "tel:" + digits
