// The grading desk: saves a cell in the background and updates its points, rubric ticks and the
// hand-in's total from the server's answer, and gives graders keys to move through the cohort.
// Without this script every form still posts and the page comes back where it was.
(() => {
  "use strict";

  const status = document.querySelector("[data-desk-status]");

  function say(message, isError) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("desk-status--error", Boolean(isError));
  }

  function number(value) {
    if (value === null || value === undefined) return "";
    return String(Math.round(value * 100) / 100);
  }

  function showCell(form, cell) {
    const item = form.closest("[data-cell]");
    const points = form.querySelector("[data-points]");
    points.value = cell.points === null ? "" : String(cell.points);
    if (cell.points_from_rubric) points.dataset.fromRubric = "1";
    else delete points.dataset.fromRubric;
    form.querySelectorAll("[data-rubric-choice]").forEach((box) => {
      box.checked = cell.criteria.includes(Number(box.value));
    });
    item.dataset.awaiting = cell.awaiting ? "1" : "0";
    item.classList.toggle("desk-cell--awaiting", cell.awaiting);
    const badge = item.querySelector("[data-awaiting-badge]");
    if (badge) badge.hidden = !cell.awaiting;
  }

  function showTotal(total) {
    const score = document.querySelector("[data-total-score]");
    const note = document.querySelector("[data-total-note]");
    if (score) score.textContent = number(total.score);
    if (note) {
      const late = total.late_penalty ? `after ${number(total.late_penalty)} off for lateness · ` : "";
      note.textContent = late + (total.awaiting ? "answers await a grader" : "fully graded");
    }
  }

  async function save(form) {
    say("Saving…");
    let data;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (error) {
      say("Not saved: the server could not be reached. Your points and comment are still in the form; try again.", true);
      return;
    }
    if (!data.ok) {
      say(data.message, true);
      return;
    }
    showCell(form, data.cell);
    showTotal(data.total);
    say(data.message);
  }

  document.querySelectorAll("[data-grade-form]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(form);
    });
    const points = form.querySelector("[data-points]");
    points.addEventListener("input", () => delete points.dataset.fromRubric);
    form.querySelectorAll("[data-rubric-choice]").forEach((box) => {
      box.addEventListener("change", () => {
        // Points typed by hand win over the rubric; otherwise the server adds the ticks up.
        if (points.value === "" || points.dataset.fromRubric === "1") points.value = "";
        save(form);
      });
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(form);
      }
    });
  });

  function typing(target) {
    // Ticking a rubric box leaves focus on it; the shortcuts should still work from there.
    return target.closest(
      "input:not([type=checkbox]):not([type=radio]):not([type=submit]), textarea, select, [contenteditable]"
    );
  }

  function nextAwaiting() {
    const cells = [...document.querySelectorAll("[data-cell]")];
    const here = document.activeElement ? document.activeElement.closest("[data-cell]") : null;
    const start = here ? cells.indexOf(here) + 1 : 0;
    const later = cells.slice(start).concat(cells.slice(0, start));
    const waiting = later.find((cell) => cell.dataset.awaiting === "1" && cell !== here);
    if (waiting) {
      const folded = waiting.closest("details");
      if (folded) folded.open = true;
      waiting.scrollIntoView({ block: "start" });
      const first = waiting.querySelector("[data-rubric-choice], [data-points]");
      first.focus({ preventScroll: true });
      return;
    }
    const link = document.querySelector("[data-next-awaiting]");
    if (link) window.location.assign(link.href);
    else say("Nothing else awaits a grader on this assignment.");
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "n") {
      event.preventDefault();
      nextAwaiting();
      return;
    }
    const link = document.querySelector(`[data-shortcut="${event.key}"]`);
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
