"""Every phrase table the generator draws text from, in one place.

Placeholders in subject/body templates: ``{#}`` becomes ``#1234`` and ``{n}`` becomes
``1234`` (the Shopify order number). A template holds at most one placeholder.
Each reason has templates *with* an order mention and *without* one; the generator
picks from the first list only for tickets that mention their order.
"""

from __future__ import annotations

# Contact reasons, in a fixed order (the index is the reason code).
REASONS: tuple[str, ...] = (
    "wismo",
    "return_refund_status",
    "payment_issue",
    "address_change",
    "order_change_cancel",
    "damaged_defective",
    "wrong_item",
    "product_question_troubleshooting",
    "other",
)

# Share of inbound, non-spam, non-repeat tickets before the per-order weighting.
# WISMO's share rises above its base through late and excepted shipments.
REASON_SHARE: dict[str, float] = {
    "wismo": 0.29,
    "return_refund_status": 0.14,
    "payment_issue": 0.05,
    "address_change": 0.05,
    "order_change_cancel": 0.09,
    "damaged_defective": 0.07,
    "wrong_item": 0.04,
    "product_question_troubleshooting": 0.14,
    "other": 0.13,
}

# Human labels of the helpdesk's `Contact reason` custom field.
REASON_LABELS: dict[str, tuple[str, ...]] = {
    "wismo": ("Shipping > Where is my order?", "Shipping > Delivery status", "Order status"),
    "return_refund_status": ("Returns & refunds", "Returns & refunds > Refund status", "Return status"),
    "payment_issue": ("Billing > Payment problem", "Payment issue"),
    "address_change": ("Shipping > Change address", "Address change"),
    "order_change_cancel": ("Order > Cancel or modify", "Cancel order"),
    "damaged_defective": ("Product > Damaged / defective", "Damaged item"),
    "wrong_item": ("Order > Wrong item received", "Wrong item"),
    "product_question_troubleshooting": ("Product > Question", "Product > How to use", "Troubleshooting"),
    "other": ("Other", "General inquiry"),
}

# Tags an agent or a rule puts on a ticket of that reason.
REASON_TAGS: dict[str, tuple[str, ...]] = {
    "wismo": ("wismo", "where-is-my-order", "shipping-status"),
    "return_refund_status": ("refund", "return-status", "returns"),
    "payment_issue": ("billing", "payment", "double-charge"),
    "address_change": ("address-change", "change-address"),
    "order_change_cancel": ("cancel", "order-edit"),
    "damaged_defective": ("damaged", "defective", "broken"),
    "wrong_item": ("wrong-item", "wrong-size"),
    "product_question_troubleshooting": ("product-question", "how-to"),
    "other": ("general",),
}
OTHER_TAGS: tuple[str, ...] = ("vip", "urgent", "follow-up", "newsletter")

SUBJECTS_WITH_ORDER: dict[str, tuple[str, ...]] = {
    "wismo": ("Where is my order {#}?", "Order {#} not arrived", "Tracking for order {n} hasn't updated"),
    "return_refund_status": ("Refund for order {n}", "Return status {#}"),
    "payment_issue": ("I was charged twice for {#}",),
    "address_change": ("Need to change shipping address on order {n}",),
    "order_change_cancel": ("Please cancel order {#}", "Change order {n}"),
    "damaged_defective": ("Order {#} arrived broken",),
    "wrong_item": ("Wrong item in order {n}",),
    "product_question_troubleshooting": ("Question about my order {#}",),
    "other": ("About order {n}",),
}
SUBJECTS_WITHOUT_ORDER: dict[str, tuple[str, ...]] = {
    "wismo": ("Where is my order?", "tracking hasn't updated", "Still waiting for my package",
              "When will my order arrive?"),
    "return_refund_status": ("when will I get my refund", "Refund status", "I sent my return back weeks ago"),
    "payment_issue": ("I was charged twice", "Payment declined", "Problem with my payment"),
    "address_change": ("need to change my shipping address", "Wrong address on my order"),
    "order_change_cancel": ("please cancel my order", "Can I change my order?"),
    "damaged_defective": ("arrived broken", "Item damaged", "Product stopped working"),
    "wrong_item": ("received the wrong size", "Wrong item received", "This is not what I ordered"),
    "product_question_troubleshooting": ("how do I use the blender?", "Product question",
                                         "Which size should I pick?", "Does this come in blue?"),
    "other": ("Hello", "Question", "Partnership inquiry", "Feedback"),
}

BODIES_WITH_ORDER: dict[str, tuple[str, ...]] = {
    "wismo": ("Where is my order {#}? It was supposed to arrive days ago.",
              "The tracking for order {n} hasn't updated in a week."),
    "return_refund_status": ("I returned order {#} two weeks ago, when will I get my refund?",),
    "payment_issue": ("I was charged twice for order {n}, please refund one charge.",),
    "address_change": ("I need to change my shipping address for order {#}.",),
    "order_change_cancel": ("Please cancel my order {#}, I ordered by mistake.",
                            "Can I change the size on order {n}?"),
    "damaged_defective": ("My order {#} arrived broken, the box was crushed.",),
    "wrong_item": ("I received the wrong size in order {n}.",),
    "product_question_troubleshooting": ("How do I use the blender from order {#}? It makes a noise.",),
    "other": ("I have a question about order {n}.",),
}
BODIES_WITHOUT_ORDER: dict[str, tuple[str, ...]] = {
    "wismo": ("Where is my order? I ordered over a week ago.", "My tracking hasn't updated since Monday.",
              "I still haven't received my package."),
    "return_refund_status": ("When will I get my refund? I sent the parcel back.",
                             "What is the status of my return?"),
    "payment_issue": ("I was charged twice for the same order.", "My card was declined but money left my account."),
    "address_change": ("I need to change my shipping address, I moved.",),
    "order_change_cancel": ("Please cancel my order.", "Can I change the colour of what I ordered?"),
    "damaged_defective": ("The item arrived broken.", "It stopped working after two days."),
    "wrong_item": ("I received the wrong size.", "You sent me the wrong item."),
    "product_question_troubleshooting": ("How do I use the blender? The lid won't lock.",
                                         "Which size fits a 10 year old?", "Is this dishwasher safe?"),
    "other": ("Hi, do you have a physical store?", "I love your products!", "Do you ship to Canada?"),
}

GREETINGS: tuple[str, ...] = ("", "Hi,\n", "Hello,\n", "Hi there,\n")
SIGNOFFS: tuple[str, ...] = ("", "\nThanks", "\nThank you,\n", "\nBest regards")

SPAM_SUBJECTS: tuple[str, ...] = ("Boost your SEO today", "You won a gift card!!!", "Collaboration offer",
                                  "Cheap followers")
SPAM_BODIES: tuple[str, ...] = ("Click here to claim your prize http://spam.example",
                                "We can get you 10k followers for $9.")
OUTBOUND_SUBJECTS: tuple[str, ...] = ("About your order {#}", "Update on order {n}")
OUTBOUND_BODIES: tuple[str, ...] = ("Hi, we wanted to let you know that order {#} is delayed at the warehouse.",
                                    "Hi, one item of order {n} is out of stock. Would you like a replacement?")

AUTO_REPLY_BODY = "Thanks for contacting us! We usually reply within one business day."
BOT_BODIES: tuple[str, ...] = ("Hi! I'm the virtual assistant. Can I help you track your order?",
                               "Here is a link to track your order: https://brand.example/track")
NOTE_BODIES: tuple[str, ...] = ("Checked with the warehouse, waiting for an answer.",
                                "@team can someone look at the carrier claim?", "Customer is VIP, handle first.")
AGENT_BODIES: tuple[str, ...] = ("Thanks for reaching out! I've checked your order and here is what I found.",
                                 "Sorry about that. I've arranged a replacement for you.",
                                 "Your refund has been processed, it takes 5-10 business days.",
                                 "Happy to help! Let me know if there is anything else.")
FOLLOWUP_BODIES: tuple[str, ...] = ("Thanks, but I still haven't got it.", "Ok thanks!",
                                    "Any update?", "That doesn't answer my question.")

CSAT_COMMENTS: dict[int, tuple[str, ...]] = {
    1: ("Terrible, nobody answered for days.", "Still no solution."),
    2: ("Slow answer.", "Had to write twice."),
    3: ("Ok.", ""),
    4: ("Good service.", ""),
    5: ("Super fast and friendly!", "Great help, thanks"),
}
NPS_COMMENTS: tuple[str, ...] = ("", "Love the products", "Shipping was slow", "Support was great",
                                 "Too expensive", "")

RETURN_REASONS: tuple[str, ...] = ("Wrong size", "Wrong item sent", "Arrived damaged", "Item arrived broken",
                                   "Came too late", "Changed my mind", "Not as described", "Other")
# index into RETURN_REASONS that mean damaged / wrong item / late (used to link tickets)
RETURN_REASON_KIND: tuple[str, ...] = ("wrong_item", "wrong_item", "damaged_defective", "damaged_defective",
                                       "late", "other", "other", "other")

FIRST_NAMES: tuple[str, ...] = ("emma", "liam", "olivia", "noah", "ava", "lucas", "mia", "ethan", "sofia",
                                "mason", "chloe", "leo", "zoe", "jack", "lily", "omar", "nina", "raj",
                                "yuki", "ana")
LAST_NAMES: tuple[str, ...] = ("smith", "johnson", "garcia", "brown", "martin", "lee", "walker", "young",
                               "khan", "silva", "nguyen", "muller", "rossi", "kim", "dubois")
PRODUCTS: tuple[tuple[str, str, int], ...] = (  # name, sku, price in cents
    ("Classic Tee - S", "TEE-S", 2500), ("Classic Tee - M", "TEE-M", 2500), ("Classic Tee - L", "TEE-L", 2500),
    ("Hoodie - M", "HOOD-M", 6500), ("Hoodie - L", "HOOD-L", 6500), ("Travel Blender", "BLEND-1", 8900),
    ("Blender Lid", "BLEND-LID", 1500), ("Water Bottle", "BOTTLE-1", 2200), ("Yoga Mat", "MAT-1", 4800),
    ("Running Socks (3 pack)", "SOCK-3", 1800), ("Gift Card $50", "GIFT-50", 5000), ("Backpack", "BAG-1", 7900),
)
CITIES: tuple[str, ...] = ("Memphis, TN", "Louisville, KY", "Newark, NJ", "Chicago, IL", "Dallas, TX",
                           "Atlanta, GA", "Los Angeles, CA", "Seattle, WA", "Denver, CO", "Miami, FL")
TRACKING_MESSAGES: dict[str, str] = {
    "info_received": "Shipment information received",
    "in_transit": "In transit to next facility",
    "delayed": "Delayed due to carrier volume",
    "exception": "Delivery exception: address issue",
    "out_for_delivery": "Out for delivery",
    "delivered": "Delivered, left at front door",
}
