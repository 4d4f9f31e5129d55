namespace Handoff.Delivery;
