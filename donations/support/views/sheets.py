"""Signature sheets of a batch (danh sách ký nhận), XLSX and PDF."""
