using Cake.Core;

namespace Handoff.Frosting;

public interface IFrostingContext : ICakeContext;

/// <summary>Base class for typed build contexts; derive and add state shared by tasks.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext;
