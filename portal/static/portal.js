// BW-portaal: upload progress for htmx forms. Every page also works without JavaScript.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-voortgang]") : null;
  if (!form || !event.detail.lengthComputable) { return; }
  var balk = document.getElementById(form.getAttribute("data-voortgang"));
  if (!balk) { return; }
  balk.hidden = false;
  balk.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-voortgang]") : null;
  if (!form) { return; }
  var balk = document.getElementById(form.getAttribute("data-voortgang"));
  if (balk) { balk.hidden = false; balk.value = 0; }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-voortgang]") : null;
  if (!form) { return; }
  var balk = document.getElementById(form.getAttribute("data-voortgang"));
  if (balk) { balk.hidden = true; }
  if (event.detail.successful) { form.reset(); }
});
document.addEventListener("htmx:responseError", function (event) {
  var doel = document.getElementById("melding-fout-upload");
  if (doel) {
    doel.hidden = false;
    doel.textContent = "Het versturen is mislukt (foutcode " + event.detail.xhr.status +
      "). Probeer het opnieuw; lukt het niet, ververs dan de pagina.";
  }
});
// An accepted mutation empties the form that sent it (the answer says so with HX-Trigger), so a second click
// cannot send it again; a refused one keeps what was typed, to be corrected.
document.addEventListener("mutatie-aangenomen", function (event) {
  var form = event.target.closest ? event.target.closest("form") : null;
  if (!form) { return; }
  form.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (veld) { veld.value = ""; });
  form.querySelectorAll("select").forEach(function (keuze) { keuze.selectedIndex = 0; });
});
