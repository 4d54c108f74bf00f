/*
 * Notebook page: adds a "Copy link" button beside the notebook's link. The page works without this script: the link
 * is shown as text to copy by hand. Loaded as a same-origin file (the page's CSP allows no inline script).
 */
(function () {
  'use strict';

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http on another host than localhost has no clipboard API; selecting and copying still works.
    input.focus();
    input.select();
    return document.execCommand('copy') ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }

  function addCopyButton(container) {
    var input = container.querySelector('input');
    if (!input) {
      return;
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Copy link';
    var status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    button.addEventListener('click', function () {
      copyText(input).then(
        function () {
          status.textContent = 'Link copied';
        },
        function () {
          status.textContent = 'Could not copy: select the link and copy it';
          input.focus();
          input.select();
        }
      );
    });
    container.appendChild(button);
    container.appendChild(status);
  }

  var containers = document.querySelectorAll('[data-copy-link]');
  for (var i = 0; i < containers.length; i++) {
    addCopyButton(containers[i]);
  }
})();
