"""Masks for personal data shown on screens and in exports (unmasking is audited elsewhere)."""


def mask_mobile(mobile: str) -> str:
    """13812345678 -> 138****5678."""
    if not mobile:
        return ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_id_number(id_number: str) -> str:
    """310101199001011234 -> 3101**********1234 (region prefix and last four only)."""
    if not id_number:
        return ""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"
