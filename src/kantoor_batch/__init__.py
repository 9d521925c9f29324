"""kantoor-batch: bulk onboarding of accounting-firm clients from an Excel workbook.

The public API; the CLI calls exactly these.
"""

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.errors import KantoorBatchError, UnreadableWorkbookError
from kantoor_batch.export.error_workbook import error_workbook_path, write_error_workbook
from kantoor_batch.export.report_workbook import write_report_workbook
from kantoor_batch.export.result_workbook import write_result_workbook
from kantoor_batch.export.store_workbook import ExportResult, export_store
from kantoor_batch.export.template import write_template
from kantoor_batch.history import RunDetails, list_runs, show_run
from kantoor_batch.importer import import_workbook
from kantoor_batch.issues import Issue, Severity
from kantoor_batch.plan_result import PlanResult
from kantoor_batch.planner import run_planner
from kantoor_batch.report import Report, build_report
from kantoor_batch.result import ImportResult
from kantoor_batch.undo import UndoResult, undo_run
from kantoor_batch.validate.references import Known
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from kantoor_batch.workflow_status import DoneResult, mark_done

__all__ = [
    "Catalogues",
    "DoneResult",
    "ExportResult",
    "ImportResult",
    "Issue",
    "KantoorBatchError",
    "Known",
    "PlanResult",
    "Report",
    "RunDetails",
    "Severity",
    "UndoResult",
    "UnreadableWorkbookError",
    "ValidationReport",
    "build_report",
    "error_workbook_path",
    "export_store",
    "import_workbook",
    "list_runs",
    "mark_done",
    "run_planner",
    "show_run",
    "undo_run",
    "validate_workbook",
    "write_error_workbook",
    "write_report_workbook",
    "write_result_workbook",
    "write_template",
]
