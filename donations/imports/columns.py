"""The columns of a bank's statement, and how a cell of each is read.

The one place that says which headers name which column (`COLUMNS`): banks name them differently
(Vietcombank "Số tham chiếu", Agribank "Số CT", VietinBank "Nợ" and "Có", an English export
"Credit"); a bank whose export is not read adds its headers to a column's ``aliases``. Headers
are matched without diacritics, case, punctuation or a part in brackets ("Số tiền ghi có (VND)"),
and each half of a bilingual one ("Ghi có/Credit").
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.forms import MAX_VND
from frontwelfare.imports.cells import CellError, as_date, as_text, blank, whole_number
from frontwelfare.imports.reading import CSV, XLSX, TableSpec
from frontwelfare.templatetags.frontwelfare import vnd


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed Vietnamese, the template's: a statement is not translated
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers banks write for it
    width: int = 16
    text: bool = False  # formatted as text in the template (a reference must keep its zeros)


COLUMNS = (
    Column("date", "Ngày giao dịch", gettext_lazy("The day of the transfer, as dd/mm/yyyy (a time after it is "
                                                  "left out)."), required=True, width=14, text=True, aliases=(
        "Ngày", "Ngày GD", "Ngày hạch toán", "Ngày thực hiện", "Ngày chứng từ", "Thời gian giao dịch",
        "Date", "Transaction date", "Txn date", "Posting date", "Booking date", "Trans date")),
    Column("reference", "Số bút toán", gettext_lazy("The bank's reference of the transfer: each one is recorded "
                                                    "once in a fund."), required=True, width=18, text=True, aliases=(
        "Mã giao dịch", "Số tham chiếu", "Số giao dịch", "Mã GD", "Số GD", "Số CT", "Số chứng từ",
        "Mã tham chiếu", "Số bút toán/Mã giao dịch", "Reference", "Reference number", "Reference No", "Ref",
        "Ref No", "Transaction ID", "Transaction number", "Transaction No", "Trans ID", "Doc No")),
    Column("credit", "Ghi có", gettext_lazy("Money in, in whole đồng: 30.000.000 or 30000000. Each credit becomes "
                                            "a receipt."), required=True, width=16, aliases=(
        "Số tiền ghi có", "Có", "Phát sinh có", "Số tiền có", "Tiền vào", "PS có", "Credit", "Credit amount",
        "Money in", "Deposit", "Deposits", "Amount in")),
    Column("debit", "Ghi nợ", gettext_lazy("Money out. Debit lines are left out: they are not receipts."),
           width=16, aliases=("Số tiền ghi nợ", "Nợ", "Phát sinh nợ", "Số tiền nợ", "Tiền ra", "PS nợ", "Debit",
                              "Debit amount", "Money out", "Withdrawal", "Withdrawals", "Amount out")),
    Column("payer", "Tên người chuyển", gettext_lazy("Who sent the money: the receipt's donor, found among your "
                                                     "donors by name, or recorded as a new donor."),
           required=True, width=28, aliases=(
               "Người chuyển", "Tên người chuyển tiền", "Người chuyển tiền", "Đơn vị chuyển", "Tên đơn vị chuyển",
               "Tên người gửi", "Người gửi", "Tên đối ứng", "Tên tài khoản đối ứng", "Người nộp", "Tên người nộp",
               "Payer", "Payer name", "Sender", "Sender name", "Remitter", "Remitter name", "Counterparty",
               "Counterparty name", "From")),
    Column("note", "Nội dung", gettext_lazy("The transfer's note. A campaign's code in it (e.g. VNN2025) puts the "
                                            "receipt in that campaign."), width=40, aliases=(
        "Nội dung giao dịch", "Nội dung chuyển khoản", "Nội dung chuyển tiền", "Diễn giải", "Mô tả",
        "Mô tả giao dịch", "Chi tiết giao dịch", "Nội dung/Diễn giải", "Description", "Transaction description",
        "Details", "Transaction details", "Remark", "Remarks", "Narrative", "Memo")),
)
COLUMN = {column.key: column for column in COLUMNS}
DATA_SHEET = "Sao kê"
EXAMPLE_SHEET = "Ví dụ"
HELP_SHEET = "Hướng dẫn"
# A bank's export has its name, the account, the period and an opening balance above the table.
HEADER_ROWS = 30

TABLE = TableSpec(
    columns=COLUMNS, sheet=DATA_SHEET, formats=(XLSX, CSV), header_rows=HEADER_ROWS,
    wrong_format=gettext_lazy("This is neither an Excel workbook (.xlsx) nor a CSV file. Export the statement "
                              "from the bank as Excel or CSV (or fill in the template) and upload it again."),
    missing_columns=gettext_lazy("No row among the first %(rows)s has the statement's columns: %(columns)s are "
                                 "missing. Rename the bank's headers as in the template, or copy the lines into "
                                 "it."),
)

_TIME_AFTER = re.compile(r"(\S+)[ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?")
_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ|₫)", re.IGNORECASE)
_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
_DECIMAL_COMMA = re.compile(r"(?P<whole>\d{1,3}(?:\.\d{3})*|\d+),(?P<fraction>\d+)")
_DECIMAL_POINT = re.compile(r"(?P<whole>\d{1,3}(?:,\d{3})*|\d+)\.(?P<fraction>\d+)")


def read_date(value) -> date | None:
    """A date cell, or text dd/mm/yyyy with or without a time after it."""
    if isinstance(value, str) and (match := _TIME_AFTER.fullmatch(value.strip())):
        value = match.group(1)
    return as_date(value)


def read_amount(value) -> int | None:
    """Whole đồng from a number cell or from text as banks and officers write it: 30.000.000,
    30,000,000, 30000000, 30.000.000,00 or 30,000,000.00 (a fraction of zeros), "30.000.000 VND".
    None for an empty cell; CellError for anything else, a fraction of a đồng included, and an
    amount beyond what a form accepts (MAX_VND: a typing error, and past the database's integers)."""
    amount = _amount_in(value)
    if amount is not None and abs(amount) > MAX_VND:
        raise CellError(_("%(value)s is more than any amount this app records (%(most)s).")
                        % {"value": as_text(value), "most": vnd(MAX_VND)})
    return amount


def _amount_in(value) -> int | None:
    if blank(value):
        return None
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("%(value)s is not a whole number of đồng: the đồng has no smaller unit.")
                        % {"value": value})
    number = whole_number(value)
    if number is not None:
        return number
    text = as_text(value)
    compact = _CURRENCY.sub("", "".join(text.split())).replace("\u00a0", "")
    sign = 1
    if compact.startswith(("-", "\u2212")) or (compact.startswith("(") and compact.endswith(")")):
        sign, compact = -1, compact.strip("-\u2212()")
    compact = compact.removeprefix("+")
    if _PLAIN.fullmatch(compact):
        return sign * int(compact)
    if match := _GROUPED.fullmatch(compact):
        return sign * int(compact.replace(match.group("sep"), ""))
    for pattern, grouping in ((_DECIMAL_COMMA, "."), (_DECIMAL_POINT, ",")):
        if match := pattern.fullmatch(compact):
            if set(match.group("fraction")) != {"0"}:
                raise CellError(_("%(value)s is not a whole number of đồng: the đồng has no smaller unit.")
                                % {"value": text})
            return sign * int(match.group("whole").replace(grouping, ""))
    raise CellError(_("“%(value)s” is not an amount in đồng; write it as 30.000.000 or 30000000.") % {"value": text})
