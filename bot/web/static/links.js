// Links in the assistant's texts, the same in the widget (inside its own function: nothing leaks
// into the host page), the chat page and the studio's preview. A text is added with text nodes and
// each address as a link whose label is the address itself: nothing is ever parsed as HTML.
// The pattern is bot/insights/links.py's URL_PATTERN, so the links that get a /go/ path are these.
var BusinessEspooLinks = (function () {
  "use strict";
  var URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;

  // href(url) gives the link's target (the address itself when omitted); decorate(link) may add to it.
  function append(parent, text, href, decorate) {
    var last = 0;
    String(text).replace(URL_PATTERN, function (url, _group, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = document.createElement("a");
      link.textContent = url;
      link.href = href ? href(url) : url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      if (decorate) { decorate(link); }
      parent.appendChild(link);
      last = offset + url.length;
      return url;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // The /go/ path the NLG gave an answer's link (bot/insights/links.py), or "" when it gave none.
  function goPath(links, url) {
    var go = links && Object.prototype.hasOwnProperty.call(links, url) ? String(links[url]) : "";
    return go.indexOf("/go/") === 0 ? go : "";
  }

  return { append: append, goPath: goPath };
})();
