// Worker identity form: one question per step on the phone, each step checked before 下一步 moves
// on (M1) with the server's own limits rendered into the form's data attributes; the ID step asks
// the server whether the number can still register, before any photo. Images are shrunk in the
// browser (portrait to at most 50 KB as the national platform requires); birth date and gender are
// read from the ID number. Plain JavaScript, no libraries: the platform runs on intranets and cheap
// phones. Without JavaScript every step shows at once and the server checks everything on submit.
(function () {
  "use strict";
  var form = document.getElementById("worker-form");
  if (!form) { return; }
  var rules = form.dataset;

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

  // ---- The rules, as the server applies them (WorkerVerificationService.check) ----

  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function daysInMonth(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }

  // {year, month, day} from "yyyy-mm-dd" or "yyyymmdd", or null when it is no real date.
  function parseDate(text) {
    var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text || "");
    if (!m) { return null; }
    var d = { year: +m[1], month: +m[2], day: +m[3] };
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) { return null; }
    return d;
  }
  function compare(a, b) { return (a.year - b.year) || (a.month - b.month) || (a.day - b.day); }
  function age(birth, today) {
    var years = today.year - birth.year;
    return (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) ? years - 1 : years;
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }

  // The facts of an 18-character number, or {problem: message}.
  function readNumber(raw) {
    var v = raw.trim().toUpperCase();
    if (!v) { return { problem: "请填写身份证号码" }; }
    if (v.length !== 18) { return { problem: "身份证号码应为 18 位，现在是 " + v.length + " 位，请核对是否多输或漏输" }; }
    if (!/^\d{17}[\dX]$/.test(v)) { return { problem: "身份证号码只能由数字组成，最后一位可以是 X；请使用半角字符，不要输入空格或符号" }; }
    var sum = 0;
    for (var i = 0; i < 17; i++) { sum += (+v.charAt(i)) * WEIGHTS[i]; }
    if (CHECK.charAt(sum % 11) !== v.charAt(17)) { return { problem: "身份证号码校验位不正确，请对照证件逐位核对号码" }; }
    var birth = parseDate(v.substr(6, 8));
    if (!birth || birth.year < 1900) { return { problem: "身份证号码第 7 至 14 位不是有效的出生日期，请核对" }; }
    var today = parseDate(rules.today);
    if (today && compare(birth, today) > 0) { return { problem: "身份证号码中的出生日期晚于今天，请核对" }; }
    if (today) {
      var years = age(birth, today);
      if (years < +rules.minAge) { return { problem: "未满 " + rules.minAge + " 周岁，依法不得招用，不能登记为建筑工人" }; }
      if (rules.maxAge && years > +rules.maxAge) { return { problem: "已超过 " + rules.maxAge + " 周岁，按本地区规定不能登记为建筑工人" }; }
    }
    return {
      number: v, birth: birth.year + "-" + two(birth.month) + "-" + two(birth.day),
      gender: (+v.charAt(16)) % 2 === 1 ? "0" : "1"
    };
  }

  function value(name) {
    var field = form.elements[name];
    return field ? String(field.value || "").trim() : "";
  }

  // nil-or-message per field name; the ID's own facts checked where they meet other fields.
  var checks = {
    name: function (v) {
      if (!v) { return "请填写与身份证一致的姓名"; }
      var count = Array.from(v).length;
      if (count < +rules.nameMin || count > +rules.nameMax) {
        return "姓名应为 " + rules.nameMin + " 至 " + rules.nameMax + " 个字，与身份证一致";
      }
      if (!/^[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{323AF}·・]+$/u.test(v) || /^[·・]|[·・]$/.test(v)) {
        return "姓名只能由汉字和间隔号“·”组成，与身份证一致";
      }
      return null;
    },
    idNumber: function (v) { return readNumber(v).problem || null; },
    gender: function (v) {
      var facts = readNumber(value("idNumber"));
      if (!v) { return "请选择性别"; }
      return facts.gender && facts.gender !== v ? "所选性别与身份证号码不一致，请核对" : null;
    },
    nation: function (v) { return v ? null : "请选择民族"; },
    birthDate: function (v) {
      if (!parseDate(v)) { return "出生日期格式应为 年-月-日，例如 1985-03-12"; }
      var facts = readNumber(value("idNumber"));
      return facts.birth && facts.birth !== v ? "填写的出生日期与身份证号码中的出生日期不一致，请核对" : null;
    },
    address: function (v) { return Array.from(v).length >= 5 ? null : "请填写身份证上的住址"; },
    issuingAuthority: function (v) { return Array.from(v).length >= 3 ? null : "请填写签发机关，例如 成都市公安局锦江分局"; },
    validity: function (v) { return v ? null : "请按身份证背面填写有效期限，例如 2015.03.12-2035.03.12"; },
    mobile: function (v) { return /^1[3-9]\d{9}$/.test(v) ? null : "手机号应为 11 位手机号码（以 13 至 19 开头）"; },
    password: function (v) {
      var problems = [];
      if (v.length < +rules.passwordMin) { problems.push("密码至少需要 " + rules.passwordMin + " 位"); }
      if (v.length > +rules.passwordMax) { problems.push("密码不能超过 " + rules.passwordMax + " 位"); }
      if (!(/[A-Za-z]/.test(v) && /\d/.test(v))) { problems.push("密码必须同时包含字母和数字"); }
      return problems.length ? problems.join("；") : null;
    }
  };

  function photoProblem(input) {
    var data = document.getElementById(input.getAttribute("data-target")).value;
    var label = input.closest(".step").querySelector(".field-label").textContent;
    if (!data) { return "请上传" + label; }
    var bytes = Math.floor(data.length * 3 / 4) - (/==$/.test(data) ? 2 : /=$/.test(data) ? 1 : 0);
    var limit = +input.getAttribute("data-limit") + 2048;
    if (bytes > limit) { return label + "不能超过 " + Math.floor(limit / 1024) + " KB，请重新拍照"; }
    return null;
  }

  function stepProblem(step) {
    var file = step.querySelector("input[type=file]");
    if (file) { return photoProblem(file); }
    var field = step.querySelector("input[name], select[name]");
    if (!field || !checks[field.name]) { return null; }
    return checks[field.name](field.name === "password" ? field.value : String(field.value || "").trim());
  }

  function setError(step, message) {
    var note = step.querySelector(".field-error");
    step.classList.toggle("has-error", !!message);
    if (!note) { return; }
    note.textContent = message || "";
    note.hidden = !message;
  }

  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-target"));
      var preview = document.getElementById(input.getAttribute("data-target").replace("Data", "Preview"));
      if (!input.files || !input.files[0]) { return; }
      shrink(input.files[0], +input.getAttribute("data-max-side"), +input.getAttribute("data-limit"), function (url) {
        if (!url) { setError(input.closest(".step"), "无法读取这张图片，请重新拍照或选择 JPG、PNG 图片"); return; }
        target.value = url.substring(url.indexOf(",") + 1);
        preview.src = url;
        preview.hidden = false;
        setError(input.closest(".step"), null);
      });
    });
  });

  // Birth date and gender follow from an 18-digit number (GB 11643); fill them in for the person.
  var number = document.getElementById("f-idNumber");
  if (number) {
    number.addEventListener("input", function () {
      var facts = readNumber(number.value);
      if (!facts.number) { return; }
      var birth = document.getElementById("f-birthDate");
      if (birth) { birth.value = facts.birth; }
      var gender = document.getElementById("f-gender");
      if (gender) { gender.value = facts.gender; }
    });
  }

  if (!form.classList.contains("stepwise") || !rules.today) { return; }
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

  // The server's answer for a number (may it register?), asked once per number. No answer (no
  // network, too many look-ups, an expired page) lets the person go on: the submission checks again.
  var answers = {};
  function askServer(numberText, done) {
    if (!rules.checkUrl) { return done(null); }
    if (answers[numberText]) { return done(answers[numberText]); }
    var body = new URLSearchParams();
    body.set("_csrf", form.elements._csrf.value);
    body.set("idNumber", numberText);
    next.disabled = true;
    fetch(rules.checkUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .catch(function () { return null; })
      .then(function (answer) {
        next.disabled = false;
        if (answer) { answers[numberText] = answer; }
        done(answer);
      });
  }

  function advance() {
    var step = steps[current];
    var problem = stepProblem(step);
    setError(step, problem);
    if (problem) { return; }
    var field = step.querySelector("input[name=idNumber]");
    if (!field) { return show(Math.min(steps.length - 1, current + 1)); }
    askServer(readNumber(field.value).number, function (answer) {
      if (answer && answer.ok === false) { return setError(step, answer.message); }
      show(Math.min(steps.length - 1, current + 1));
    });
  }

  back.addEventListener("click", function () { show(Math.max(0, current - 1)); });
  next.addEventListener("click", advance);
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && current < steps.length - 1) { event.preventDefault(); advance(); }
  });
  // Before sending: every step again (a field changed after its step); open the first at fault.
  form.addEventListener("submit", function (event) {
    for (var i = 0; i < steps.length; i++) {
      var problem = stepProblem(steps[i]);
      setError(steps[i], problem);
      if (problem) { event.preventDefault(); show(i); return; }
    }
  });
  form.querySelectorAll(".fault-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var index = +link.getAttribute("data-step");
      if (index >= 0 && index < steps.length) { event.preventDefault(); show(index); }
    });
  });
  show(current);
})();
