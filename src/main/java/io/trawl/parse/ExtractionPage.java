package io.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.helper.W3CDom;
import org.jsoup.nodes.Document;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.jsoup.nodes.Element;
import org.jsoup.select.Selector;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * One page as the extraction rules see it: the document, what its relative URLs resolve against,
 * and its structured data (JSON-LD, microdata, Open Graph), each read on first use and then shared
 * by every rule and field of the page; and its W3C DOM for XPath fields, converted once. One per
 * page, confined to the parse thread that extracts it.
 */
final class ExtractionPage {
  private final Document document;
  private final String baseUrl;
  private JsonLd jsonLd;
  private JsonArray microdata;
  private JsonObject openGraph;
  private W3CDom w3c;
  private org.w3c.dom.Document w3cDocument;
  private Map<Element, Node> w3cNodes;
  private final Map<String, XPathExpression> xpaths = new HashMap<>();
  /** An XPathFactory per parse thread: creating one looks up a service each time; one is not thread-safe. */
  private static final ThreadLocal<XPathFactory> XPATH = ThreadLocal.withInitial(XPathFactory::newInstance);

  ExtractionPage(Document document, String baseUrl) {
    this.document = document;
    this.baseUrl = baseUrl;
  }

  Document document() {
    return document;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The page's JSON-LD, parsed once. */
  JsonLd jsonLd() {
    if (jsonLd == null) {
      jsonLd = JsonLd.of(document);
    }
    return jsonLd;
  }

  /** The page's microdata items, read once. */
  JsonArray microdata() {
    if (microdata == null) {
      microdata = Microdata.items(document);
    }
    return microdata;
  }

  /** The page's Open Graph properties, read once. */
  JsonObject openGraph() {
    if (openGraph == null) {
      openGraph = OpenGraph.properties(document);
    }
    return openGraph;
  }

  /**
   * The elements {@code xpath} selects from {@code context}, as Jsoup's own {@code
   * Element.selectXpath} selects them: the page converted by Jsoup's {@link W3CDom}, the expression
   * run by the JDK's XPath on it, the nodes mapped back. {@code selectXpath} converts the whole
   * document and creates an {@code XPathFactory} on every call: on the quotes sandbox page, three
   * XPath fields of ten items took 16-18 ms a page that way, 7-9 ms this way (the same fields in
   * CSS: 0.1-0.4 ms; a loaded 2-core machine). Here the page is converted once, each expression
   * compiled once per page, and the factory made once per parse thread; what is left is mostly the
   * JDK's XPath walking the DOM from each context node.
   */
  List<Element> selectXpath(Element context, String xpath) {
    if (w3cDocument == null) {
      w3c = new W3CDom().namespaceAware(false);
      w3cDocument = w3c.fromJsoup(document);
      w3cNodes = indexed(w3cDocument);
    }
    Node from = context instanceof Document ? w3cDocument : w3cNodes.get(context);
    if (from == null) {
      return context.selectXpath(xpath); // an element made after the conversion: none today
    }
    try {
      XPathExpression expression = xpaths.computeIfAbsent(xpath, ExtractionPage::compiled);
      return w3c.sourceNodes((NodeList) expression.evaluate(from, XPathConstants.NODESET), Element.class);
    } catch (XPathExpressionException e) {
      // Compiled at load (RuleReader): only evaluation can fail, e.g. an expression giving a number.
      throw new Selector.SelectorParseException("could not evaluate XPath " + xpath + ": " + e.getMessage());
    }
  }

  private static XPathExpression compiled(String xpath) {
    try {
      return XPATH.get().newXPath().compile(xpath);
    } catch (XPathExpressionException e) {
      throw new Selector.SelectorParseException("could not compile XPath " + xpath + ": " + e.getMessage());
    }
  }

  /** Each converted element by the Jsoup element it came from ({@link W3CDom#SourceProperty}). */
  private static Map<Element, Node> indexed(org.w3c.dom.Document converted) {
    Map<Element, Node> nodes = new IdentityHashMap<>();
    Deque<Node> pending = new ArrayDeque<>();
    pending.push(converted);
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      if (node.getUserData(W3CDom.SourceProperty) instanceof Element source) {
        nodes.put(source, node);
      }
      for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
        pending.push(child);
      }
    }
    return nodes;
  }

  /** Blocks of JSON-LD skipped as invalid, 0 when no rule asked for JSON-LD. */
  int invalidJsonLd() {
    return jsonLd == null ? 0 : jsonLd.invalid();
  }
}
