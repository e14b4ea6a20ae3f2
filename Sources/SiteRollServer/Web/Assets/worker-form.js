// Worker identity form: one question per step on the phone, images shrunk in the browser
// (portrait to at most 50 KB as the national platform requires), birth date and gender read from
// the ID number. Plain JavaScript, no libraries: the platform runs on intranets and cheap phones.
(function () {
  "use strict";
  var form = document.getElementById("worker-form");
  if (!form) { return; }

  // Shrink an image file to JPEG within maxSide pixels and limit bytes; calls done(dataURL or null).
  function shrink(file, maxSide, limit, done) {
    var reader = new FileReader();
    reader.onload = function () {
      var img = new Image();
      img.onload = function () {
        var side = maxSide, quality = 0.85, canvas = document.createElement("canvas"), url = null;
        for (var attempt = 0; attempt < 12; attempt++) {
          var scale = Math.min(1, side / Math.max(img.width, img.height));
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          url = canvas.toDataURL("image/jpeg", quality);
          if ((url.length - 23) * 0.75 <= limit) { return done(url); }
          if (quality > 0.5) { quality -= 0.1; } else { side = Math.round(side * 0.8); }
        }
        done(null);
      };
      img.onerror = function () { done(null); };
      img.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-target"));
      var preview = document.getElementById(input.getAttribute("data-target").replace("Data", "Preview"));
      if (!input.files || !input.files[0]) { return; }
      shrink(input.files[0], +input.getAttribute("data-max-side"), +input.getAttribute("data-limit"), function (url) {
        if (!url) { window.alert("无法读取这张图片，请重新拍照或选择 JPG、PNG 图片"); return; }
        target.value = url.substring(url.indexOf(",") + 1);
        preview.src = url;
        preview.hidden = false;
      });
    });
  });

  // Birth date and gender follow from an 18-digit number (GB 11643); fill them in for the person.
  var number = document.getElementById("f-idNumber");
  if (number) {
    number.addEventListener("input", function () {
      var v = number.value.trim().toUpperCase();
      if (!/^\d{17}[\dX]$/.test(v)) { return; }
      var birth = document.getElementById("f-birthDate");
      if (birth && !birth.value) { birth.value = v.substr(6, 4) + "-" + v.substr(10, 2) + "-" + v.substr(12, 2); }
      var gender = document.getElementById("f-gender");
      if (gender) { gender.value = (+v.charAt(16)) % 2 === 1 ? "0" : "1"; }
    });
  }

  if (!form.classList.contains("stepwise")) { return; }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var back = form.querySelector(".back"), next = form.querySelector(".next");
  var submit = form.querySelector(".submit"), progress = form.querySelector(".progress");
  var firstError = steps.findIndex(function (s) { return s.classList.contains("has-error"); });
  var current = firstError >= 0 ? firstError : 0;
  function show(index) {
    current = index;
    steps.forEach(function (s, i) { s.hidden = i !== index; });
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    submit.hidden = index !== steps.length - 1;
    progress.textContent = "第 " + (index + 1) + " / " + steps.length + " 步";
    var field = steps[index].querySelector("input:not([type=hidden]), select");
    if (field && field.type !== "file") { field.focus(); }
  }
  back.addEventListener("click", function () { show(Math.max(0, current - 1)); });
  next.addEventListener("click", function () { show(Math.min(steps.length - 1, current + 1)); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && current < steps.length - 1) { event.preventDefault(); show(current + 1); }
  });
  show(current);
})();
